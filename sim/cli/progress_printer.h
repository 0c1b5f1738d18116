// ProgressPrinter: shows a run's progress on stderr.
#pragma once

#include <cstdio>

#include "sim/runner/experiment_runner.h"

namespace marketsim {

// Prints replications done, events/s and ETA to `out`: one self-overwriting line when `out` is a
// terminal, otherwise a plain line whenever the count changes (at most one per second).
class ProgressPrinter {
 public:
  explicit ProgressPrinter(std::FILE* out);

  void update(const RunProgress& progress);
  // Ends the progress display (a newline after a terminal line).
  void finish();

 private:
  std::FILE* out_;
  bool terminal_;
  std::size_t last_done_ = static_cast<std::size_t>(-1);
  double last_print_s_ = -1;
};

}  // namespace marketsim
