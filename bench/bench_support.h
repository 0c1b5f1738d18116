// Shared helpers of the benchmarks: rates per CPU second, best of several runs, the machine's load.
#pragma once

#include <time.h>

#include <algorithm>
#include <fstream>

namespace marketsim::bench {

// CPU seconds used so far by this process, all of its threads together: unlike wall time, not
// inflated by other processes on a shared machine.
inline double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// The 1-minute load average of the machine (first field of /proc/loadavg), -1 when unreadable.
inline double load_average() {
  std::ifstream in("/proc/loadavg");
  double load = -1;
  in >> load;
  return in ? load : -1;
}

// Calls of `body` per CPU second: one warm-up call, then `runs` runs, each calling `body` until
// `seconds` of CPU time have passed (and at least once); returns the fastest run's rate, the
// one least disturbed by other processes.
template <class Body>
double calls_per_cpu_second(Body&& body, double seconds, int runs = 5) {
  body();
  double best = 0;
  for (int run = 0; run < runs; ++run) {
    long calls = 0;
    const double start = process_cpu_seconds();
    double elapsed = 0;
    do {
      body();
      ++calls;
      elapsed = process_cpu_seconds() - start;
    } while (elapsed < seconds || elapsed <= 0);
    best = std::max(best, static_cast<double>(calls) / elapsed);
  }
  return best;
}

}  // namespace marketsim::bench
