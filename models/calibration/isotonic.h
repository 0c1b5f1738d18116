// IsotonicCalibration: a monotone step map fitted by pool-adjacent-violators.
#pragma once

#include <vector>

#include "models/calibration/calibrator.h"

namespace marketsim {

// The non-decreasing map of prediction to observed rate that minimises squared error on the
// window (pool-adjacent-violators over the predictions in increasing order, tied predictions
// pooled first). Each pooled block covers [lo, hi] of predictions and maps it to the block's
// observed rate; between blocks the map interpolates linearly, beyond the ends it is flat. A
// window without both labels leaves the map unchanged.
class IsotonicCalibration final : public Calibrator {
 public:
  struct Block {
    double lo, hi;  // range of the predictions pooled
    double rate;    // observed rate of the block
    double weight;  // examples in the block
  };

  const std::vector<Block>& blocks() const { return blocks_; }

 private:
  double do_apply(double prediction) const override;
  bool do_fit(std::span<const double> predictions, std::span<const std::uint8_t> labels) override;

  std::vector<Block> blocks_;
};

// Adds "isotonic" to the registry.
void register_isotonic(CalibratorRegistry& registry);

}  // namespace marketsim
