#include "models/calibration/platt.h"

#include <cmath>
#include <vector>

#include "models/sigmoid.h"

namespace marketsim {
namespace {

constexpr int kMaxIterations = 100;

// Cross-entropy of targets t against sigmoid(a x + b), summed.
double loss(std::span<const double> x, std::span<const double> t, double a, double b) {
  double total = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double s = a * x[i] + b;
    // log(1 + e^s) - t s, stable for either sign of s.
    total += (s > 0 ? s + std::log1p(std::exp(-s)) : std::log1p(std::exp(s))) - t[i] * s;
  }
  return total;
}

}  // namespace

double PlattScaling::do_apply(double prediction) const {
  return sigmoid(a_ * logit(prediction) + b_);
}

bool PlattScaling::do_fit(std::span<const double> predictions,
                          std::span<const std::uint8_t> labels) {
  double positives = 0;
  for (std::uint8_t y : labels) positives += y ? 1 : 0;
  const double negatives = static_cast<double>(labels.size()) - positives;
  if (positives == 0 || negatives == 0) return false;
  const double hi = (positives + 1) / (positives + 2), lo = 1 / (negatives + 2);
  std::vector<double> x(predictions.size()), t(predictions.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = logit(predictions[i]);
    t[i] = labels[i] ? hi : lo;
  }
  double a = 1.0, b = 0.0, current = loss(x, t, a, b);
  for (int iter = 0; iter < kMaxIterations; ++iter) {
    double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double p = sigmoid(a * x[i] + b), r = p - t[i], w = p * (1 - p);
      ga += r * x[i];
      gb += r;
      haa += w * x[i] * x[i];
      hab += w * x[i];
      hbb += w;
    }
    const double det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const double da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det;
    double step = 1.0, next = loss(x, t, a - da, b - db);
    while (next > current && step > 1e-10) {
      step /= 2;
      next = loss(x, t, a - step * da, b - step * db);
    }
    if (!(next <= current)) break;
    a -= step * da;
    b -= step * db;
    const bool converged = current - next <= 1e-12 * (1 + std::abs(current));
    current = next;
    if (converged) break;
  }
  a_ = a;
  b_ = b;
  return true;
}

void register_platt(CalibratorRegistry& registry) {
  registry.add({"platt",
                "Platt scaling: sigmoid(a logit(p) + b) fitted by maximum likelihood on the "
                "window",
                {}},
               [](const ParamValues&) { return std::make_unique<PlattScaling>(); });
}

}  // namespace marketsim
