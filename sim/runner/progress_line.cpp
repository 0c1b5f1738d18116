#include "sim/runner/progress_line.h"

#include <algorithm>
#include <cstdio>

namespace marketsim {

double fraction_done(const RunProgress& p) {
  if (p.total == 0) return 1.0;
  return std::clamp((static_cast<double>(p.done) + p.running) / static_cast<double>(p.total), 0.0,
                    1.0);
}

std::string progress_line(const RunProgress& p) {
  const double f = fraction_done(p);
  const double rate = p.elapsed_s > 0 ? f / p.elapsed_s : 0.0;
  char eta[32] = "?";
  if (rate > 0) std::snprintf(eta, sizeof eta, "%.0fs", (1.0 - f) / rate);
  char text[160];
  std::snprintf(text, sizeof text, "%.1f%% (%zu/%zu replications)  %.3g%%/s  elapsed %.1fs  ETA %s",
                100.0 * f, p.done, p.total, 100.0 * rate, p.elapsed_s, eta);
  return text;
}

}  // namespace marketsim
