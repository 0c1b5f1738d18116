#include "models/training/permutation_importance.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace marketsim {
namespace {

// Log loss of one prediction, nats, with the prediction clamped to [1e-15, 1 - 1e-15].
double log_loss(double p, bool label) {
  const double q = std::clamp(p, 1e-15, 1 - 1e-15);
  return -std::log(label ? q : 1 - q);
}

}  // namespace

PermutationImportance::PermutationImportance(const FeatureModel& model, std::int64_t every,
                                             ReplicationKey key, std::uint32_t stream)
    : model_(model),
      every_(every),
      stream_(stream),
      coins_(key, "evaluation.importance"),
      sum_(static_cast<std::size_t>(model.hasher().width()), 0.0) {
  const Eigen::Index width = model.hasher().width();
  probe_.resize(width, width + 1);
  ring_.resize(width, kRing);
}

void PermutationImportance::observe(const Example& e) {
  const Task task = model_.task();
  if (every_ <= 0 || !model_.ready() || !e.has(task) || (task != Task::kClick && !e.clicked))
    return;
  const auto coin = coins_.block(stream_ ^ (std::uint32_t{e.slot} << 24), e.transaction);
  if (coin[0] % static_cast<std::uint64_t>(every_) != 0) return;
  model_.encode({&e, 1}, example_);
  if (ring_size_ > 0) {
    const Eigen::Index donor = static_cast<Eigen::Index>(coin[1] % ring_size_);
    const Eigen::Index width = example_.buckets.rows();
    for (Eigen::Index c = 0; c <= width; ++c) {
      probe_.buckets.col(c) = example_.buckets.col(0);
      probe_.values.col(c) = example_.values.col(0);
      if (c == 0) continue;
      probe_.buckets(c - 1, c) = ring_.buckets(c - 1, donor);
      probe_.values(c - 1, c) = ring_.values(c - 1, donor);
    }
    scores_.resize(static_cast<std::size_t>(width + 1));
    model_.score(probe_, scores_);
    const bool label = e.label(task);
    const double base = log_loss(scores_[0], label);
    for (std::size_t c = 0; c < sum_.size(); ++c) sum_[c] += log_loss(scores_[c + 1], label) - base;
    samples_ += 1;
  }
  ring_.buckets.col(ring_next_) = example_.buckets.col(0);
  ring_.values.col(ring_next_) = example_.values.col(0);
  ring_next_ = (ring_next_ + 1) % kRing;
  ring_size_ = std::min(ring_size_ + 1, kRing);
}

std::vector<double> PermutationImportance::increase() const {
  std::vector<double> mean(sum_.size(), std::numeric_limits<double>::quiet_NaN());
  if (samples_ > 0)
    for (std::size_t c = 0; c < sum_.size(); ++c) mean[c] = sum_[c] / samples_;
  return mean;
}

}  // namespace marketsim
