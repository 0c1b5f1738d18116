// ThinnedPoissonProcess: transaction arrivals of one partner, a non-homogeneous Poisson process.
#pragma once

#include <array>
#include <vector>

#include "sim/core/rng.h"
#include "sim/core/sim_time.h"

namespace marketsim {

// A temporary multiplication of the arrival rate, e.g. a flash sale: x`multiplier` in [start, end).
struct RateSpike {
  SimTime start;
  SimTime end;
  double multiplier;
};

// The rate profile of a process: rate(t) = base * hourly[hour of day] * weekly[day of week] *
// (product of the multipliers of the spikes active at t). Day 0 of a run is a Monday.
struct RateProfile {
  double base_per_hour = 0;
  std::vector<double> hourly;  // 24 multipliers
  std::vector<double> weekly;  // 7 multipliers
  std::vector<RateSpike> spikes;

  double rate_per_hour(SimTime t) const;
  // An upper bound of the rate over day `day` (the thinning envelope of that day).
  double peak_of_day(SimTime day) const;
};

// Arrival times by thinning (Lewis & Shedler) with a piecewise-constant envelope: within each day,
// candidates come from a homogeneous process at that day's peak rate and are kept with probability
// rate(t) / peak; a candidate past midnight restarts at midnight (exact, by memorylessness). The
// stream is owned, so the arrivals depend only on the stream's name. The day's peak and the rate
// of the current constant piece (an hour, or part of one at a spike's edge) are kept between
// candidates, so a candidate costs no integer division.
class ThinnedPoissonProcess {
 public:
  ThinnedPoissonProcess(RateProfile profile, SimTime horizon, RngStream stream);

  // The first arrival strictly after `after`, or a negative time when none comes before the
  // horizon.
  SimTime next(SimTime after);

 private:
  // Makes the day that holds `t` the current one.
  void enter_day(SimTime t);
  // Makes the constant piece of the rate that holds `t` the current one.
  void enter_piece(SimTime t);

  RateProfile profile_;
  SimTime horizon_;
  std::vector<double> day_peak_;
  RngStream stream_;
  // The current day [day_begin_, day_end_) and its peak rate per hour.
  SimTime day_begin_ = 0;
  SimTime day_end_ = 0;
  double day_peak_rate_ = 0;
  // The current constant piece [piece_begin_, piece_end_) and its rate per hour.
  SimTime piece_begin_ = 0;
  SimTime piece_end_ = 0;
  double piece_rate_ = 0;
};

}  // namespace marketsim
