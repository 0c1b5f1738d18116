// Calibrator: a monotone map fitted to a model's recent predictions and labels, and its registry.
#pragma once

#include <cstdint>
#include <span>

#include "sim/core/registry.h"

namespace marketsim {

// Recalibrates a model's probabilities: apply() maps a prediction to a calibrated probability,
// monotone non-decreasing and clamped to [1e-6, 1 - 1e-6] (so a calibrated ranker never scores
// an offer exactly 0); fit() refits the map on (prediction, label) pairs, e.g. the last day's
// matured impressions. Before the first fit the map is the identity. The base class checks the
// contract around the private hooks.
class Calibrator {
 public:
  virtual ~Calibrator() = default;

  double apply(double prediction) const;

  // Refits on `predictions[i]` with outcome `labels[i]` (0 or 1); equal lengths. Returns false
  // when the pairs could not change the map (e.g. a window with one class).
  bool fit(std::span<const double> predictions, std::span<const std::uint8_t> labels);

 private:
  virtual double do_apply(double prediction) const = 0;
  virtual bool do_fit(std::span<const double> predictions,
                      std::span<const std::uint8_t> labels) = 0;
};

// Calibrators by name ("none", "platt", "isotonic"). Context: none.
using CalibratorRegistry = Registry<Calibrator>;

// The built-in calibrators, registered once.
const CalibratorRegistry& calibrator_registry();

}  // namespace marketsim
