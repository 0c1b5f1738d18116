// Runs every cell x replication of a scenario in parallel and writes the results file.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <string>

#include "analysis/output/results_file.h"
#include "analysis/output/shard_file.h"
#include "sim/runner/replication_capture.h"
#include "sim/runner/result_tables.h"
#include "sim/runner/world_tasks.h"
#include "sim/scenario/scenario.h"
#include "sim/world/world_spec.h"

namespace marketsim {

// Hands a batch of finished worlds to the writer (and empties it); false when writing failed and
// the run must stop.
using DeliverWorlds = std::function<bool(std::deque<FinishedReplication>&)>;

// Runs a run's worlds outside this process (the MPI driver, sim/runner/mpi_runner.h).
class WorldDispatcher {
 public:
  virtual ~WorldDispatcher() = default;
  // Starts the worlds of `order` in that order and calls `deliver` on the calling thread with the
  // finished ones, at least every 250 ms; hands out no further world once `stop` is set or
  // `deliver` returns false. Returns the first exception a world threw, or null.
  virtual std::exception_ptr run(const std::vector<WorldTask>& order, const std::atomic<bool>& stop,
                                 const DeliverWorlds& deliver) = 0;
};

// How to run: where to write, on how many threads, which slice, and what to do with what an
// earlier run left.
struct RunOptions {
  std::string output_path;
  int threads = 1;
  ShardSpec shard;                        // a slice writes a shard file for `marketsim merge`
  bool resume = false;                    // continue from OUT.journal when there is one
  bool no_clobber = false;                // never replace an existing OUT
  WorldDispatcher* dispatcher = nullptr;  // null: run the worlds on `threads` threads here
};

// Where a run stands; passed to the progress callback from the calling thread.
struct RunProgress {
  std::size_t done = 0;      // replications finished
  std::size_t total = 0;     // cells x replications
  std::uint64_t events = 0;  // of the finished worlds
  double elapsed_s = 0;
  double running = 0;  // replications' worth of simulated time done by the running worlds
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

// Runs all (cell, replication) pairs of `scenario` (of its shard's replications) on a oneTBB
// arena of `options.threads` threads. Replication r of every cell uses the streams of (seed, r),
// so cells are compared on common random numbers; output datasets do not depend on the thread
// count. Each finished world is first appended to the journal OUT.journal (see RunJournal),
// then written by the calling thread; with `options.resume` the worlds an earlier run journaled
// are taken from there, and the output is the same file. When `stop` becomes true the run winds
// down, keeps the finished replications in OUT.partial and the journal, and reports interrupted.
// A shard writes OUT as a shard file (see shard_file.h) instead. Throws UsageError for an invalid
// cell or a locked output, RunError when a replication or the output fails (OUT is left as it
// was; the journal keeps what finished).
RunSummary run_experiment(const Scenario& scenario, const RunOptions& options,
                          const std::atomic<bool>& stop,
                          const std::function<void(const RunProgress&)>& on_progress);

// Writes every table and array group of the collected worlds to `file` (all but /series, written
// as replications finish, and /summary and /timing, written by finish()).
void write_collected(ResultsFile& file, const ResultCollector& collector, const Scenario& scenario,
                     const std::vector<WorldSpec>& cells);

}  // namespace marketsim
