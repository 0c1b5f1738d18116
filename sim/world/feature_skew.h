// FeatureSkew: train/serve skew injection — features missing or stale at serving time.
#pragma once

#include <cstdint>
#include <vector>

#include "models/request_features.h"
#include "sim/core/param.h"
#include "sim/core/rng.h"
#include "sim/core/sim_time.h"

namespace marketsim {

// Scenario parameters of the skew (section [skew]): per feature, the probability that at serving
// it is missing or stale (a wrong, outdated value), while the training logs hold the true value;
// from `start_h` on (a serving change that breaks a feature pipeline mid-run).
struct SkewSpec {
  double start_h = 0;
  double device_missing = 0, device_stale = 0;
  double region_missing = 0, region_stale = 0;
  double age_band_missing = 0, age_band_stale = 0;
  double returning_stale = 0;  // stale: served as a new user
  double cart_category_missing = 0;

  static std::vector<ParamSpec> declare();
  static SkewSpec from(const ParamValues& values);
};

// Derives the serving view of a request's features. The corruption of transaction t comes from
// ("skew", t), so every cell sees the same corruption of the same transaction.
class FeatureSkew {
 public:
  FeatureSkew(const SkewSpec& spec, int regions, ReplicationKey key);

  // The features as served for `transaction` at `time`, given the true ones.
  RequestFeatures serving_view(const RequestFeatures& truth, std::uint64_t transaction,
                               SimTime time) const;

 private:
  SkewSpec spec_;
  int regions_;
  bool inactive_;  // no feature is ever corrupted: the serving view is the logged one
  SimTime start_;
  CounterRng rng_;
};

}  // namespace marketsim
