// PermutationImportance: how much worse a model predicts held-out examples with a column shuffled.
#pragma once

#include <cstdint>
#include <vector>

#include "models/feature_model.h"
#include "sim/core/rng.h"

namespace marketsim {

// Permutation feature importance by progressive validation: one matured example in `every`
// (chosen by a coin keyed per impression) is scored by the model *before* the model learns it
// (so it is held out), once as it is and once per feature column with that column taken from an
// earlier sampled example (a ring of the last 256), which breaks the column's link to the label
// while keeping its distribution. A column's importance is the mean increase of log loss (nats)
// over the samples; near 0 for a column the model ignores, negative only by chance. Only
// examples carrying the label of the model's task are used (on clicks for conditional tasks).
class PermutationImportance {
 public:
  PermutationImportance(const FeatureModel& model, std::int64_t every, ReplicationKey key,
                        std::uint32_t stream);

  // Considers `example` (call before the model learns it).
  void observe(const Example& example);

  // Mean increase of log loss per column (NaN before any sample).
  std::vector<double> increase() const;
  double samples() const { return samples_; }

 private:
  static constexpr Eigen::Index kRing = 256;

  const FeatureModel& model_;
  std::int64_t every_;
  std::uint32_t stream_;
  CounterRng coins_;
  FeatureBatch example_;
  FeatureBatch probe_;
  FeatureBatch ring_;
  Eigen::Index ring_size_ = 0;
  Eigen::Index ring_next_ = 0;
  std::vector<double> sum_;
  std::vector<double> scores_;
  double samples_ = 0;
};

}  // namespace marketsim
