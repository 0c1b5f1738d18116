// PacingClock: where a pacer's updates fall within the budget day, and when a new day starts.
#pragma once

#include "policies/pacing/pacer.h"

namespace marketsim {

// Follows the updates a pacer receives. A new day starts at an update with now == day_start, at
// an update whose day_start differs from the previous one (the midnight update was skipped) and
// at the very first update; pacers then reset their per-day state. Not thread-safe: one per pacer.
class PacingClock {
 public:
  // Moves to the update described by `view`. Returns true when that update starts a new day.
  bool advance(const PacingView& view);

  // Fraction of the day elapsed at the latest update, in [0, 1].
  double elapsed() const { return elapsed_; }

  // Simulated hours from the previous update of the same day to the latest one; 0 on a new day.
  double step_hours() const { return step_hours_; }

  // Simulated hours left in the day after the latest update.
  double remaining_hours() const { return (1.0 - elapsed_) * day_hours_; }

  // Length of the day in hours.
  double day_hours() const { return day_hours_; }

 private:
  bool started_ = false;
  SimTime day_start_ = 0;
  double elapsed_ = 0;
  double step_hours_ = 0;
  double day_hours_ = 24;
};

// True when a daily budget can be paced: finite and positive. Pacers leave other advertisers
// unpaced (infinite budget: multiplier 1) or out (no budget: multiplier 0).
bool pacable_budget(double budget);

// Throws std::logic_error unless the view holds a budget and a spend for each of `advertisers`.
void check_view_size(const PacingView& view, std::size_t advertisers);

}  // namespace marketsim
