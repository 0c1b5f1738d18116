// PlattScaling: a logistic recalibration of a model's logit.
#pragma once

#include "models/calibration/calibrator.h"

namespace marketsim {

// q = sigmoid(a logit(p) + b), with (a, b) maximising the likelihood of the window's labels under
// Platt's (1999) smoothed targets (N+ + 1) / (N+ + 2) for positives and 1 / (N- + 2) for
// negatives, which keep the fit finite on separable or tiny windows. Newton's method with step
// halving from (1, 0). A window without both labels leaves the map unchanged.
class PlattScaling final : public Calibrator {
 public:
  double slope() const { return a_; }
  double intercept() const { return b_; }

 private:
  double do_apply(double prediction) const override;
  bool do_fit(std::span<const double> predictions, std::span<const std::uint8_t> labels) override;

  double a_ = 1.0;
  double b_ = 0.0;
};

// Adds "platt" to the registry.
void register_platt(CalibratorRegistry& registry);

}  // namespace marketsim
