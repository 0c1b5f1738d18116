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

SimTime ThinnedPoissonProcess::next(SimTime after) {
  SimTime t = after;
  while (t < horizon_) {
    const SimTime day = t / kMicrosPerDay;
    const SimTime day_end = (day + 1) * kMicrosPerDay;
    const double peak = day_peak_[static_cast<std::size_t>(day)];
    if (peak <= 0) {
      t = day_end;
      continue;
    }
    const double gap = -std::log(stream_.uniform()) * static_cast<double>(kMicrosPerHour) / peak;
    const SimTime candidate = t + std::max<SimTime>(1, static_cast<SimTime>(std::llround(gap)));
    if (candidate >= day_end) {
      t = day_end;  // memoryless: restart the candidate process at midnight
      continue;
    }
    t = candidate;
    if (stream_.uniform() * peak < profile_.rate_per_hour(t)) return t;
  }
  return -1;
}

}  // namespace marketsim
