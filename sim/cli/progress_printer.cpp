#include "sim/cli/progress_printer.h"

#include <unistd.h>

#include "sim/runner/progress_line.h"

namespace marketsim {

ProgressPrinter::ProgressPrinter(std::FILE* out) : out_(out), terminal_(isatty(fileno(out))) {}

void ProgressPrinter::update(const RunProgress& progress) {
  if (!terminal_ ||
      (printed_ && progress.elapsed_s - last_print_s_ < 0.2 && progress.done != progress.total))
    return;
  printed_ = true;
  last_print_s_ = progress.elapsed_s;
  // A world that has finished but is not yet delivered counts in neither part for a moment.
  RunProgress shown = progress;
  if (fraction_done(shown) < best_fraction_)
    shown.running =
        best_fraction_ * static_cast<double>(shown.total) - static_cast<double>(shown.done);
  best_fraction_ = fraction_done(shown);
  std::fprintf(out_, "\r%s   ", progress_line(shown).c_str());
  std::fflush(out_);
}

void ProgressPrinter::finish() {
  if (printed_) std::fputc('\n', out_);
}

}  // namespace marketsim
