// ExperimentTracker: one A/B experiment's assignment and per-unit figures inside a world.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "policies/experiments/traffic_split.h"
#include "sim/core/sim_time.h"
#include "sim/world/experiment_spec.h"

namespace marketsim {

// The per-unit quantities an experiment compares between arms (sums over the unit's enrolled
// transactions; conversions and CPA revenue when they happen).
enum class UnitMetric : std::size_t {
  kTransactions,
  kImpressions,
  kClicks,
  kConversions,
  kRevenue,
  kSpend,
  kConversionValue,
  kPolicyValue,
  kCount
};
inline constexpr std::size_t kUnitMetricCount = static_cast<std::size_t>(UnitMetric::kCount);

// Ratio metrics sum(numerator) / sum(denominator) over units, compared by the delta method.
enum class UnitRatio : std::size_t { kCtr, kCvr, kRevenuePerTransaction, kCount };
inline constexpr std::size_t kUnitRatioCount = static_cast<std::size_t>(UnitRatio::kCount);

// Name, units and meaning of a unit metric as written to the output.
struct UnitMetricInfo {
  const char* name;
  const char* units;
  const char* long_name;
};
inline constexpr std::array<UnitMetricInfo, kUnitMetricCount> kUnitMetricInfo{{
    {"transactions", "", "transactions"},
    {"impressions", "", "offers shown"},
    {"clicks", "", "clicks"},
    {"conversions", "", "ad conversions"},
    {"revenue", "USD", "platform revenue net of the partners' share"},
    {"spend", "USD", "advertiser spend"},
    {"conversion_value", "USD", "value of ad conversions to their advertisers"},
    {"policy_value", "USD", "true expected value of the shown allocations (cell's objective)"},
}};

// Name, meaning, numerator and denominator of a ratio metric.
struct UnitRatioInfo {
  const char* name;
  const char* units;
  const char* long_name;
  UnitMetric numerator;
  UnitMetric denominator;
  bool is_rate;  // a proportion of trials (a beta-binomial posterior applies)
};
inline constexpr std::array<UnitRatioInfo, kUnitRatioCount> kUnitRatioInfo{{
    {"ctr", "", "clicks / impressions", UnitMetric::kClicks, UnitMetric::kImpressions, true},
    {"cvr", "", "conversions / clicks", UnitMetric::kConversions, UnitMetric::kClicks, true},
    {"revenue_per_transaction", "USD", "revenue / transactions", UnitMetric::kRevenue,
     UnitMetric::kTransactions, false},
}};

// Sufficient statistics over the units of one arm in one segment: the unit count, per metric the
// sum and sum of squares of the per-unit values, and per ratio the sum of numerator x
// denominator. Units count in a segment once they had a transaction in it.
struct ArmSegmentSums {
  double units = 0;
  std::array<double, kUnitMetricCount> sum{};
  std::array<double, kUnitMetricCount> sum_sq{};
  std::array<double, kUnitRatioCount> sum_cross{};
};

// Where an enrolled transaction's later figures (conversions) go: the unit's row and the
// transaction's segment row. slot < 0 when the transaction was not enrolled.
struct UnitRef {
  std::int32_t slot = -1;
  std::uint8_t segment = 0;  // row 1 + segment value, 0 when not segmented
};

// Assigns the units of one experiment to its arms and accumulates each enrolled unit's figures
// (overall and per segment). snapshot() summarizes them per arm and segment; the world takes one
// at the end of every recording window, so every statistic can be computed as it would have been
// at each daily look. Units are kept densely in the order they enroll (deterministic).
class ExperimentTracker {
 public:
  // `duration_h` is the run's length (the day segments it spans).
  ExperimentTracker(const ExperimentSpec& spec, std::size_t users, std::size_t partners,
                    double duration_h);

  const ExperimentSpec& spec() const { return spec_; }

  // The arm serving a request (-1: not enrolled) and, when enrolled, where its figures go.
  // `user`, `partner` and `transaction` identify the unit; `segment_value` is the request's
  // device, vertical or day (ignored without segmentation).
  int assign(SimTime now, std::uint32_t user, std::uint32_t partner, std::uint64_t transaction,
             int segment_value, UnitRef& ref);

  // Adds `amount` of `metric` to the unit and segment of `ref` (nothing when not enrolled).
  void add(const UnitRef& ref, UnitMetric metric, double amount);

  // Appends the current sums (cumulative since the start), arm-major then segment, at the end
  // `end` of a recording window.
  void snapshot(SimTime end);

  std::size_t segment_count() const { return segments_; }
  std::size_t arm_count() const { return spec_.arms.size(); }
  // Snapshots in order, each arm_count() x segment_count() sums, arm-major.
  const std::vector<std::vector<ArmSegmentSums>>& snapshots() const { return snapshots_; }
  // The enrolled share at the time of each snapshot.
  const std::vector<double>& enrolled_shares() const { return enrolled_shares_; }
  // Each arm's share of all units at the time of each snapshot.
  const std::vector<std::vector<double>>& arm_shares() const { return arm_shares_; }
  // Per snapshot and arm, the units enrolled at their first transaction of the run so far: the
  // counts whose split follows the arm shares in force (a sample-ratio test's observations).
  const std::vector<std::vector<double>>& first_seen() const { return first_seen_; }

 private:
  double* row(std::int32_t slot, std::size_t segment_row) {
    return &values_[(static_cast<std::size_t>(slot) * segments_ + segment_row) * kUnitMetricCount];
  }

  ExperimentSpec spec_;
  TrafficSplit split_;
  std::size_t segments_;
  std::vector<std::int32_t> slot_of_;     // users or partners -> dense slot (-1: not enrolled yet)
  std::vector<std::uint8_t> seen_;        // users or partners -> 1 once they had a transaction
  std::vector<double> first_seen_units_;  // per arm: enrolled at their first transaction
  std::vector<std::uint8_t> arm_of_slot_;
  std::vector<double> values_;  // slot x segment row x metric
  std::vector<std::vector<ArmSegmentSums>> snapshots_;
  std::vector<double> enrolled_shares_;
  std::vector<std::vector<double>> arm_shares_;
  std::vector<std::vector<double>> first_seen_;
};

}  // namespace marketsim
