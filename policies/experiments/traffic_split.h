// TrafficSplit: which arm of an A/B experiment serves a unit, by salted hashes as production does.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/sim_time.h"

namespace marketsim {

// Assigns units (users, sessions or partners, by a 64-bit id) to the arms of one experiment.
// Two independent hashes of (salt, unit) give the unit a bucket b in [0, 1) and an arm draw
// a in [0, 1): the unit is enrolled once the rollout's share in force exceeds b, and its arm is
// the one whose cumulative normalized weight first exceeds a. Shares never decrease, so a unit,
// once enrolled, stays in the same arm for the rest of the run (no unit changes arm between
// stages), and the arms' shares of the enrolled units are the declared weights at every stage.
// Experiments with different salts are orthogonal: their hashes are independent. Pure and
// stateless: the same (salt, unit, time) always gives the same arm.
class TrafficSplit {
 public:
  // `weights` > 0, at least two; `stage_start` ascending from 0 with one `stage_share` in [0, 1]
  // each, non-decreasing. Throws std::invalid_argument otherwise.
  TrafficSplit(std::uint64_t salt, std::vector<double> weights, std::vector<SimTime> stage_start,
               std::vector<double> stage_share);

  // The arm serving `unit` at `now`, or -1 when the unit is not enrolled at `now`.
  int arm(std::uint64_t unit, SimTime now) const;
  // The arm `unit` has whenever it is enrolled (ignores the rollout).
  int arm_of(std::uint64_t unit) const;
  // The share of units enrolled at `now`.
  double enrolled_share(SimTime now) const;
  // The arms' normalized weights (their expected shares of enrolled units).
  const std::vector<double>& shares() const { return shares_; }

 private:
  double bucket(std::uint64_t unit) const;

  std::uint64_t salt_;
  std::vector<double> shares_;
  std::vector<double> cumulative_;
  std::vector<SimTime> stage_start_;
  std::vector<double> stage_share_;
};

}  // namespace marketsim
