// Numerically stable logistic functions and the weighted binary cross-entropy on logits.
#pragma once

#include <algorithm>
#include <cmath>

#include "models/nn/tensor.h"

namespace marketsim::nn {

// log(1 + e^s), without overflow for large |s|.
template <class T>
T softplus(T s) {
  return std::max(s, T(0)) + std::log1p(std::exp(-std::abs(s)));
}

// 1 / (1 + e^-s), without overflow for large |s|.
template <class T>
T sigmoid(T s) {
  const T e = std::exp(-std::abs(s));
  return s >= 0 ? 1 / (1 + e) : e / (1 + e);
}

// log(e^a + e^b), without overflow; a and b finite.
template <class T>
T log_add_exp(T a, T b) {
  return std::max(a, b) + std::log1p(std::exp(-std::abs(a - b)));
}

// The weighted binary cross-entropy of a batch of B examples with logits s (tasks x B):
//   L = (1 / B) sum_j weight(j) sum_t task_weight(t) mask(t, j) l(s_tj, label(t, j)),
//   l(s, y) = softplus(s) - y s = -[y log sigmoid(s) + (1 - y) log(1 - sigmoid(s))].
// The normalisation is by the batch size B, not by the sum of weights or of masks, so a batch's
// loss is the mean over its examples and absent labels count as zero. Returns L (accumulated in
// double) and writes dL/ds = (1 / B) weight(j) task_weight(t) mask(t, j) (sigmoid(s) - y) into
// `dlogits` (tasks x B). Terms whose coefficient is 0 are skipped, so their labels may be
// anything. Shapes are the caller's to check.
template <class T>
T weighted_bce_with_logits(ConstMatrixRef<T> logits, const Targets<T>& y,
                           const Vector<T>& task_weight, MatrixRef<T> dlogits);

extern template float weighted_bce_with_logits<float>(ConstMatrixRef<float>, const Targets<float>&,
                                                      const Vector<float>&, MatrixRef<float>);
extern template double weighted_bce_with_logits<double>(ConstMatrixRef<double>,
                                                        const Targets<double>&,
                                                        const Vector<double>&, MatrixRef<double>);

}  // namespace marketsim::nn
