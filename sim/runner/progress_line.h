// progress_line: the text of a run's progress display, from a RunProgress.
#pragma once

#include <string>

#include "sim/runner/experiment_runner.h"

namespace marketsim {

// Fraction of the run done, in [0, 1]: finished replications plus the simulated time the running
// worlds have done, over the total (1 when there is nothing to run).
double fraction_done(const RunProgress& progress);

// "37.5% (3/8 replications)  1.2%/s  elapsed 30.0s  ETA 50s": the fraction done, its measured
// rate, the elapsed wall time and the time left at that rate ("ETA ?" before any progress).
std::string progress_line(const RunProgress& progress);

}  // namespace marketsim
