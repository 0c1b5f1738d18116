#include "sim/cli/progress_printer.h"

#include <unistd.h>

namespace marketsim {

ProgressPrinter::ProgressPrinter(std::FILE* out) : out_(out), terminal_(isatty(fileno(out))) {}

void ProgressPrinter::update(const RunProgress& p) {
  const bool changed = p.done != last_done_;
  if (terminal_ ? p.elapsed_s - last_print_s_ < 0.2 && !changed
                : !changed || (p.elapsed_s - last_print_s_ < 1.0 && p.done != p.total))
    return;
  last_done_ = p.done;
  last_print_s_ = p.elapsed_s;
  const double rate = p.elapsed_s > 0 ? static_cast<double>(p.events) / p.elapsed_s : 0.0;
  char eta[32] = "?";
  if (p.done > 0)
    std::snprintf(
        eta, sizeof eta, "%.0fs",
        p.elapsed_s / static_cast<double>(p.done) * static_cast<double>(p.total - p.done));
  std::fprintf(out_, "%sreplications %zu/%zu  %.3g events/s  elapsed %.1fs  ETA %s%s",
               terminal_ ? "\r" : "", p.done, p.total, rate, p.elapsed_s, eta,
               terminal_ ? "   " : "\n");
  std::fflush(out_);
}

void ProgressPrinter::finish() {
  if (terminal_ && last_done_ != static_cast<std::size_t>(-1)) std::fputc('\n', out_);
}

}  // namespace marketsim
