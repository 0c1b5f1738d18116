// TrafficSplit: which arm of an A/B experiment serves a unit, by salted hashes as production does.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/sim_time.h"

namespace marketsim {

// Assigns units (users, sessions or partners, by a 64-bit id) to the arms of one experiment, in
// one of two ways. Weighted: two independent hashes of (salt, unit) give the unit a bucket b in
// [0, 1) and an arm draw a in [0, 1); the unit is enrolled once the rollout's share in force
// exceeds b, and its arm is the one whose cumulative normalized weight first exceeds a, so the
// arms' shares of the enrolled units are the weights at every stage. Ramped (per-arm shares per
// stage, as when a treatment goes 1%, 5%, 50% while the control keeps 50%): of A arms, arm i owns
// the buckets [i / A, i / A + share_i) of the stage in force. Shares never decrease in either way,
// so a unit, once enrolled, stays in the same arm for the rest of the run. Experiments with
// different salts are orthogonal: their hashes are independent. Pure and stateless: the same
// (salt, unit, time) always gives the same arm.
class TrafficSplit {
 public:
  // `weights` > 0, at least two; `stage_start` ascending from 0 with one `stage_share` in [0, 1]
  // each, non-decreasing. Throws std::invalid_argument otherwise.
  TrafficSplit(std::uint64_t salt, std::vector<double> weights, std::vector<SimTime> stage_start,
               std::vector<double> stage_share);
  // Ramped: `arm_shares[i][s]` is arm i's share of all units from stage s on, in [0, 1 / arms],
  // non-decreasing over stages. Throws std::invalid_argument otherwise.
  TrafficSplit(std::uint64_t salt, std::vector<SimTime> stage_start,
               std::vector<std::vector<double>> arm_shares);

  // The arm serving `unit` at `now`, or -1 when the unit is not enrolled at `now`.
  int arm(std::uint64_t unit, SimTime now) const;
  // The arm `unit` has whenever it is enrolled (ignores the rollout).
  int arm_of(std::uint64_t unit) const;
  // The share of units enrolled at `now`.
  double enrolled_share(SimTime now) const;
  // Each arm's share of all units at `now` (weighted: the enrolled share times its weight).
  std::vector<double> arm_shares(SimTime now) const;

 private:
  double bucket(std::uint64_t unit) const;
  std::size_t stage(SimTime now) const;

  std::uint64_t salt_;
  std::vector<double> shares_;      // weighted: normalized weights
  std::vector<double> cumulative_;  // weighted: their running sums
  std::vector<SimTime> stage_start_;
  std::vector<double> stage_share_;              // weighted: enrolled share per stage
  std::vector<std::vector<double>> arm_shares_;  // ramped: per arm, per stage
};

}  // namespace marketsim
