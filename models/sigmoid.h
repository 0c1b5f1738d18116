// Numerically safe logistic function and its inverse, shared by the models.
#pragma once

#include <algorithm>
#include <cmath>

namespace marketsim {

// 1 / (1 + exp(-s)) without overflow for any finite s.
inline double sigmoid(double s) {
  if (s >= 0.0) return 1.0 / (1.0 + std::exp(-s));
  const double e = std::exp(s);
  return e / (1.0 + e);
}

// log(p / (1 - p)) with p clamped to [1e-12, 1 - 1e-12], so 0 and 1 map to finite logits.
inline double logit(double p) {
  const double q = std::clamp(p, 1e-12, 1.0 - 1e-12);
  return std::log(q / (1.0 - q));
}

}  // namespace marketsim
