// ProgressPrinter: shows a run's progress on stderr when it is a terminal.
#pragma once

#include <cstdio>

#include "sim/runner/experiment_runner.h"

namespace marketsim {

// Prints progress_line to `out` as one self-overwriting line, at most five times a second, when
// `out` is a terminal; prints nothing otherwise (logs and pipes stay clean).
class ProgressPrinter {
 public:
  explicit ProgressPrinter(std::FILE* out);

  void update(const RunProgress& progress);
  // Ends the progress display (a newline after a terminal line).
  void finish();

 private:
  std::FILE* out_;
  bool terminal_;
  bool printed_ = false;
  double last_print_s_ = -1;
  double best_fraction_ = 0;  // the display never moves backwards
};

}  // namespace marketsim
