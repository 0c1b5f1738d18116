// The marketsim subcommands; each returns the process exit code.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "analysis/report/summary_report.h"

namespace marketsim {

// Exit codes of the marketsim executable.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRunFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInterrupted = 130;

// Options of `marketsim run`; empty optionals are left to the scenario.
struct RunCommand {
  std::string scenario;
  std::string output;             // default: results/<scenario stem>.h5
  int threads = 0;                // 0: all hardware threads
  std::int64_t replications = 0;  // 0: from the scenario
  std::int64_t seed = -1;         // -1: from the scenario
  std::vector<std::string> overrides;
  std::string shard;        // "I/N", empty: the whole run
  bool resume = false;      // continue from OUT.journal
  bool no_clobber = false;  // refuse to replace OUT
};

class MpiSession;

// `mpi`: this process's MPI session when it was started by mpirun (see sim/runner/mpi_runner.h):
// rank 0 runs the batch and the other ranks serve it worlds.
int run_command(const RunCommand& command, const std::atomic<bool>& interrupted,
                const MpiSession* mpi = nullptr);
int merge_command(const std::string& output, const std::vector<std::string>& shards,
                  bool no_clobber);
int validate_command(const std::string& scenario, const std::vector<std::string>& overrides);
int list_command(bool markdown);
// Prints the summary report; paired differences against `baseline` ("" = the first cell).
// `marketsim report FILE`: `metrics` comma-separated, `window` "FROM:TO" hours or "", `format`
// table, csv or json; a malformed window is a UsageError.
int report_command(const std::string& path, ReportOptions options, const std::string& metrics,
                   const std::string& window, const std::string& format);

// `marketsim ope FILE --set recommender.explorer...`: prints the off-policy estimates of the
// target explorer from the file's logged requests (see offline_ope_report).
int ope_command(const std::string& path, const std::vector<std::string>& target);

// `marketsim plot FILE [-o DIR]`: runs analysis/plots/gallery.py under /usr/bin/python3, which
// writes the PNG gallery and index.html into DIR (default: FILE without ".h5" + "_plots").
// Returns its exit status (2 for a file it cannot read).
int plot_command(const std::string& path, const std::string& dir);

}  // namespace marketsim
