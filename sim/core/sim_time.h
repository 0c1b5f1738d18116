// Simulated time: integer microseconds since the start of a replication.
#pragma once

#include <cmath>
#include <cstdint>

namespace marketsim {

// A point or span of simulated time in microseconds. Integer so that event ordering never depends
// on floating-point rounding.
using SimTime = std::int64_t;

inline constexpr SimTime kMicrosPerSecond = 1'000'000;
inline constexpr SimTime kMicrosPerHour = 3600 * kMicrosPerSecond;
inline constexpr SimTime kMicrosPerDay = 24 * kMicrosPerHour;

// Converts hours (possibly fractional) to simulated time, rounding to the nearest microsecond.
inline SimTime hours_to_time(double hours) {
  return static_cast<SimTime>(std::llround(hours * static_cast<double>(kMicrosPerHour)));
}

// Converts simulated time to fractional hours.
inline double time_to_hours(SimTime t) {
  return static_cast<double>(t) / static_cast<double>(kMicrosPerHour);
}

}  // namespace marketsim
