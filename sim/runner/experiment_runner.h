// Runs every cell x replication of a scenario in parallel and writes the results file.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "sim/scenario/scenario.h"

namespace marketsim {

// How to run: where to write, on how many threads.
struct RunOptions {
  std::string output_path;
  int threads = 1;
};

// Where a run stands; passed to the progress callback from the calling thread.
struct RunProgress {
  std::size_t done = 0;   // replications finished
  std::size_t total = 0;  // cells x replications
  std::uint64_t events = 0;
  double elapsed_s = 0;
};

// What a finished (or interrupted) run produced.
struct RunSummary {
  std::size_t done = 0;
  std::size_t total = 0;
  bool interrupted = false;
  std::string written_path;  // OUT, or OUT.partial when interrupted
  std::uint64_t events = 0;
  std::uint64_t transactions = 0;
  double elapsed_s = 0;
};

// Runs all (cell, replication) pairs of `scenario` on a oneTBB arena of `options.threads`
// threads. Replication r of every cell uses the streams of (seed, r), so cells are compared on
// common random numbers; output datasets do not depend on the thread count. Results are written
// by the calling thread as replications finish. When `stop` becomes true the run winds down, keeps
// the finished replications in OUT.partial and reports interrupted. Throws UsageError for an
// invalid cell and RunError when a replication or the output fails (no file is left behind).
RunSummary run_experiment(const Scenario& scenario, const RunOptions& options,
                          const std::atomic<bool>& stop,
                          const std::function<void(const RunProgress&)>& on_progress);

}  // namespace marketsim
