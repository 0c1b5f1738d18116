// ExperimentTracker: salted-hash assignment, per-unit accumulation and per-arm snapshots.
#include "sim/world/experiment_tracker.h"

#include <algorithm>

namespace marketsim {
namespace {

std::vector<double> weights_of(const ExperimentSpec& spec) {
  std::vector<double> weights;
  for (const ExperimentArm& arm : spec.arms) weights.push_back(arm.weight);
  return weights;
}

std::vector<SimTime> stage_starts(const ExperimentSpec& spec) {
  std::vector<SimTime> starts;
  for (double h : spec.rollout_h) starts.push_back(hours_to_time(h));
  return starts;
}

TrafficSplit make_split(const ExperimentSpec& spec) {
  if (spec.arms.front().shares.empty())
    return TrafficSplit(spec.salt, weights_of(spec), stage_starts(spec), spec.rollout_share);
  std::vector<std::vector<double>> shares;
  for (const ExperimentArm& arm : spec.arms) shares.push_back(arm.shares);
  return TrafficSplit(spec.salt, stage_starts(spec), shares);
}

}  // namespace

ExperimentTracker::ExperimentTracker(const ExperimentSpec& spec, std::size_t users,
                                     std::size_t partners, double duration_h)
    : spec_(spec),
      split_(make_split(spec)),
      segments_(segment_names(spec.segment, duration_h).size()) {
  if (spec.unit == ExperimentUnit::kUser) slot_of_.assign(users, -1);
  if (spec.unit == ExperimentUnit::kPartner) slot_of_.assign(partners, -1);
  seen_.assign(slot_of_.size(), 0);
  first_seen_units_.assign(spec.arms.size(), 0.0);
}

int ExperimentTracker::assign(SimTime now, std::uint32_t user, std::uint32_t partner,
                              std::uint64_t transaction, int segment_value, UnitRef& ref) {
  ref = UnitRef{};
  const std::uint64_t unit = spec_.unit == ExperimentUnit::kUser      ? user
                             : spec_.unit == ExperimentUnit::kPartner ? partner
                                                                      : transaction;
  int arm = spec_.forced_arm;
  std::int32_t slot = -1;
  bool first_seen = true;  // the unit's first transaction in the run
  if (spec_.unit != ExperimentUnit::kSession) {
    slot = slot_of_[unit];
    first_seen = !seen_[unit];
    seen_[unit] = 1;
  }
  if (slot >= 0) {
    arm = arm_of_slot_[static_cast<std::size_t>(slot)];  // enrolled units keep their arm
  } else if (arm < 0) {
    arm = split_.arm(unit, now);
    if (arm < 0) return -1;
  }
  if (first_seen) first_seen_units_[static_cast<std::size_t>(arm)] += 1;
  if (slot < 0) {
    slot = static_cast<std::int32_t>(arm_of_slot_.size());
    arm_of_slot_.push_back(static_cast<std::uint8_t>(arm));
    values_.resize(values_.size() + segments_ * kUnitMetricCount, 0.0);
    if (spec_.unit != ExperimentUnit::kSession) slot_of_[unit] = slot;
  }
  ref.slot = slot;
  ref.segment = segments_ > 1 ? static_cast<std::uint8_t>(1 + segment_value) : 0;
  return arm;
}

void ExperimentTracker::add(const UnitRef& ref, UnitMetric metric, double amount) {
  if (ref.slot < 0) return;
  const auto m = static_cast<std::size_t>(metric);
  row(ref.slot, 0)[m] += amount;
  if (ref.segment > 0) row(ref.slot, ref.segment)[m] += amount;
}

void ExperimentTracker::snapshot(SimTime end) {
  std::vector<ArmSegmentSums> sums(arm_count() * segments_);
  for (std::size_t slot = 0; slot < arm_of_slot_.size(); ++slot) {
    for (std::size_t s = 0; s < segments_; ++s) {
      const double* x = row(static_cast<std::int32_t>(slot), s);
      if (x[static_cast<std::size_t>(UnitMetric::kTransactions)] <= 0) continue;
      ArmSegmentSums& out = sums[arm_of_slot_[slot] * segments_ + s];
      out.units += 1;
      for (std::size_t m = 0; m < kUnitMetricCount; ++m) {
        out.sum[m] += x[m];
        out.sum_sq[m] += x[m] * x[m];
      }
      for (std::size_t r = 0; r < kUnitRatioCount; ++r)
        out.sum_cross[r] += x[static_cast<std::size_t>(kUnitRatioInfo[r].numerator)] *
                            x[static_cast<std::size_t>(kUnitRatioInfo[r].denominator)];
    }
  }
  snapshots_.push_back(std::move(sums));
  const SimTime in_force = std::max<SimTime>(0, end - 1);
  enrolled_shares_.push_back(spec_.forced_arm >= 0 ? 1.0 : split_.enrolled_share(in_force));
  std::vector<double> shares = split_.arm_shares(in_force);
  if (spec_.forced_arm >= 0)
    for (std::size_t a = 0; a < shares.size(); ++a)
      shares[a] = static_cast<int>(a) == spec_.forced_arm ? 1.0 : 0.0;
  arm_shares_.push_back(std::move(shares));
  first_seen_.push_back(first_seen_units_);
}

}  // namespace marketsim
