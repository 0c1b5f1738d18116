#include "models/calibration/calibrator.h"

#include <algorithm>
#include <stdexcept>

#include "models/calibration/isotonic.h"
#include "models/calibration/platt.h"

namespace marketsim {
namespace {

constexpr double kFloor = 1e-6;

// The identity: predictions served as the model makes them.
class NoCalibration final : public Calibrator {
  double do_apply(double prediction) const override { return prediction; }
  bool do_fit(std::span<const double>, std::span<const std::uint8_t>) override { return false; }
};

}  // namespace

double Calibrator::apply(double prediction) const {
  return std::clamp(do_apply(prediction), kFloor, 1.0 - kFloor);
}

bool Calibrator::fit(std::span<const double> predictions, std::span<const std::uint8_t> labels) {
  if (predictions.size() != labels.size())
    throw std::logic_error("Calibrator: predictions and labels differ in length");
  return do_fit(predictions, labels);
}

const CalibratorRegistry& calibrator_registry() {
  static const CalibratorRegistry registry = [] {
    CalibratorRegistry r("calibrator");
    r.add({"none", "no calibration: the model's probabilities as they are", {}},
          [](const ParamValues&) { return std::make_unique<NoCalibration>(); });
    register_platt(r);
    register_isotonic(r);
    return r;
  }();
  return registry;
}

}  // namespace marketsim
