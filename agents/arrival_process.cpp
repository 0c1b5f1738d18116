#include "agents/arrival_process.h"

#include <algorithm>
#include <cmath>

namespace marketsim {

double RateProfile::rate_per_hour(SimTime t) const {
  const SimTime day = t / kMicrosPerDay;
  double rate = base_per_hour * hourly[(t % kMicrosPerDay) / kMicrosPerHour] * weekly[day % 7];
  for (const RateSpike& s : spikes)
    if (t >= s.start && t < s.end) rate *= s.multiplier;
  return rate;
}

double RateProfile::peak_of_day(SimTime day) const {
  const SimTime begin = day * kMicrosPerDay, end = begin + kMicrosPerDay;
  double peak = base_per_hour * *std::max_element(hourly.begin(), hourly.end()) * weekly[day % 7];
  for (const RateSpike& s : spikes)
    if (s.start < end && s.end > begin) peak *= std::max(1.0, s.multiplier);
  return peak;
}

ThinnedPoissonProcess::ThinnedPoissonProcess(RateProfile profile, SimTime horizon, RngStream stream)
    : profile_(std::move(profile)), horizon_(horizon), stream_(stream) {
  for (SimTime day = 0; day * kMicrosPerDay < horizon_; ++day)
    day_peak_.push_back(profile_.peak_of_day(day));
}

void ThinnedPoissonProcess::enter_day(SimTime t) {
  const SimTime day = t / kMicrosPerDay;
  day_begin_ = day * kMicrosPerDay;
  day_end_ = day_begin_ + kMicrosPerDay;
  day_peak_rate_ = day_peak_[static_cast<std::size_t>(day)];
}

void ThinnedPoissonProcess::enter_piece(SimTime t) {
  piece_begin_ = t - t % kMicrosPerHour;
  piece_end_ = piece_begin_ + kMicrosPerHour;
  for (const RateSpike& s : profile_.spikes)
    for (const SimTime edge : {s.start, s.end}) {
      if (edge <= t)
        piece_begin_ = std::max(piece_begin_, edge);
      else
        piece_end_ = std::min(piece_end_, edge);
    }
  piece_rate_ = profile_.rate_per_hour(t);
}

SimTime ThinnedPoissonProcess::next(SimTime after) {
  SimTime t = after;
  while (t < horizon_) {
    if (t < day_begin_ || t >= day_end_) enter_day(t);
    const double peak = day_peak_rate_;
    if (peak <= 0) {
      t = day_end_;
      continue;
    }
    const double gap = -std::log(stream_.uniform()) * static_cast<double>(kMicrosPerHour) / peak;
    // The candidate is t + max(1, llround(gap)); it reaches the day's end exactly when one
    // microsecond does or gap rounds (half away from zero) to at least the time left.
    const SimTime left = day_end_ - t;
    if (left <= 1 || gap >= static_cast<double>(left) - 0.5) {
      t = day_end_;  // memoryless: restart the candidate process at midnight
      continue;
    }
    auto whole = static_cast<SimTime>(gap);  // gap < left: the rounding without a library call
    if (gap - static_cast<double>(whole) >= 0.5) ++whole;
    t += std::max<SimTime>(1, whole);
    if (t >= horizon_) return -1;
    if (t < piece_begin_ || t >= piece_end_) enter_piece(t);
    if (stream_.uniform() * peak < piece_rate_) return t;
  }
  return -1;
}

}  // namespace marketsim
