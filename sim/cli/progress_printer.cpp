#include "sim/cli/progress_printer.h"

#include <unistd.h>

#include "sim/runner/progress_line.h"

namespace marketsim {

ProgressPrinter::ProgressPrinter(std::FILE* out) : out_(out), terminal_(isatty(fileno(out))) {}

void ProgressPrinter::update(const RunProgress& p) {
  if (!terminal_ || (printed_ && p.elapsed_s - last_print_s_ < 0.2 && p.done != p.total)) return;
  printed_ = true;
  last_print_s_ = p.elapsed_s;
  std::fprintf(out_, "\r%s   ", progress_line(p).c_str());
  std::fflush(out_);
}

void ProgressPrinter::finish() {
  if (printed_) std::fputc('\n', out_);
}

}  // namespace marketsim
