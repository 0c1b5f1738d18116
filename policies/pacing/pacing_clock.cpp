// PacingClock: elapsed fraction of the day and the step since the previous update.
#include "policies/pacing/pacing_clock.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace marketsim {

bool PacingClock::advance(const PacingView& view) {
  const bool new_day = !started_ || view.now == view.day_start || view.day_start != day_start_;
  const double length = static_cast<double>(std::max<SimTime>(view.day_length, 1));
  const double elapsed =
      std::clamp(static_cast<double>(view.now - view.day_start) / length, 0.0, 1.0);
  day_hours_ = time_to_hours(std::max<SimTime>(view.day_length, 1));
  step_hours_ = new_day ? 0.0 : std::max(0.0, (elapsed - elapsed_) * day_hours_);
  elapsed_ = elapsed;
  day_start_ = view.day_start;
  started_ = true;
  return new_day;
}

bool pacable_budget(double budget) { return std::isfinite(budget) && budget > 0.0; }

void check_view_size(const PacingView& view, std::size_t advertisers) {
  if (view.daily_budget.size() != advertisers || view.spent_today.size() != advertisers)
    throw std::logic_error("PacingView: budgets and spend must cover every advertiser");
}

}  // namespace marketsim
