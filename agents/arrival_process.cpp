#include "agents/arrival_process.h"

#include <algorithm>
#include <cmath>

namespace marketsim {

ThinnedPoissonProcess::ThinnedPoissonProcess(double base_rate_per_hour,
                                             const std::vector<double>& hourly_profile,
                                             RngStream stream)
    : stream_(stream) {
  for (int h = 0; h < 24; ++h) rate_by_hour_[h] = base_rate_per_hour * hourly_profile.at(h);
  peak_per_hour_ = *std::max_element(rate_by_hour_.begin(), rate_by_hour_.end());
}

double ThinnedPoissonProcess::rate_per_hour(SimTime t) const {
  return rate_by_hour_[(t % kMicrosPerDay) / kMicrosPerHour];
}

SimTime ThinnedPoissonProcess::next(SimTime after) {
  if (peak_per_hour_ <= 0) return -1;
  const double mean_gap_us = static_cast<double>(kMicrosPerHour) / peak_per_hour_;
  SimTime t = after;
  for (;;) {
    const double gap = -std::log(stream_.uniform()) * mean_gap_us;
    t += std::max<SimTime>(1, static_cast<SimTime>(std::llround(gap)));
    if (stream_.uniform() * peak_per_hour_ < rate_per_hour(t)) return t;
  }
}

}  // namespace marketsim
