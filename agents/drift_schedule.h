// DriftSchedule: scheduled changes of the truth (concept drift) and of the traffic mix (data
// drift).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agents/ground_truth.h"
#include "sim/core/param.h"
#include "sim/core/sim_time.h"

namespace marketsim {

// What a drift entry moves: a truth coefficient (concept drift) or the arrival weight of a group
// of users (data drift: log-multiplier of the share of traffic from that device, region, or of
// returning users).
struct DriftTarget {
  enum class Domain { kTruth, kMix };
  enum class MixGroup { kDevice, kRegion, kReturning };
  std::string name;  // as written in the scenario, e.g. "truth.device_effect.android"
  Domain domain = Domain::kTruth;
  TruthCoefficient coefficient{TruthCoefficient::Kind::kClickIntercept, 0};
  MixGroup group = MixGroup::kDevice;
  int index = 0;
};

// One scheduled change (an element of [[drift]]).
struct DriftEntry {
  enum class Shape { kSudden, kGradual, kSeasonal };
  std::size_t target = 0;  // index into DriftSchedule::targets()
  Shape shape = Shape::kSudden;
  SimTime at = 0;
  SimTime duration = 0;  // kGradual: length of the linear ramp
  SimTime period = 0;    // kSeasonal: period of the sine
  double delta = 0;      // size of the change (amplitude for kSeasonal)
};

// The drift of one run. The offset of a target at time t is the sum over its entries of
//   sudden:   delta once t >= at
//   gradual:  delta * clamp((t - at) / duration, 0, 1)
//   seasonal: delta * sin(2 pi (t - at) / period) once t >= at
// Sudden changes take effect exactly at `at`; gradual and seasonal ones are applied in steps of
// `step` (run.drift_step_h), each step exact at its own time.
class DriftSchedule {
 public:
  // The element keys of [[drift]] (paths relative to the array element).
  static std::vector<ParamSpec> declare();

  // Builds the schedule from the whole scenario's values (reads drift and run.drift_step_h);
  // bad targets raise UsageError at their key. `categories`, `products` and `regions` bound the
  // indices that targets may name.
  static DriftSchedule from(const ParamValues& values, int categories, int products, int regions);

  const std::vector<DriftTarget>& targets() const { return targets_; }
  bool empty() const { return entries_.empty(); }

  // The offset of target `target` at time t.
  double offset(std::size_t target, SimTime t) const;

  // The times before `horizon` at which some offset changes, ascending.
  std::vector<SimTime> change_times(SimTime horizon) const;

 private:
  std::vector<DriftTarget> targets_;
  std::vector<DriftEntry> entries_;
  SimTime step_ = kMicrosPerHour;
};

}  // namespace marketsim
