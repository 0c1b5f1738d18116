// marketsim: command-line entry point (run, merge, validate, list, report, ope, plot).
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <iostream>
#include <new>
#include <string>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "analysis/output/results_file.h"
#include "sim/cli/commands.h"
#include "sim/core/error.h"
#ifdef MARKETSIM_HAVE_MPI
#include "sim/runner/mpi_runner.h"
#endif

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_signal(int) { g_interrupted.store(true); }

// `marketsim --version`: the version, then the build type, CPU target and whether the build is
// profile-guided and link-time optimised (benchmarks record them).
std::string version_text() {
  const std::string march = MARKETSIM_MARCH;
  return std::string("marketsim ") + MARKETSIM_VERSION + "\nbuild: " + MARKETSIM_BUILD_TYPE +
         (march.empty() ? ", no -march (any x86-64)" : ", -march=" + march) +
         (MARKETSIM_PGO ? ", profile-guided" : ", no profile") +
         (MARKETSIM_LTO_BUILD ? ", link-time optimised" : ", no LTO");
}

// Memory a replication frees (its population, its logs, its encoded results) stays with the
// process for the next replication instead of going back to the system and being faulted in
// again page by page (several microseconds a page on a virtual machine): blocks below 32 MB come
// from glibc's heaps and the main heap is never trimmed (worker threads' arenas may still return
// whole heaps). Reference bench, 8 replications of 6 h: 45% fewer page faults, 7% (one thread)
// and 13% (two) less CPU time, the same peak memory; a lone replication can peak higher (freed
// blocks it cannot reuse stay: +25% for one of the bench). Sanitizer runtimes ignore mallopt, and
// an MPI library may set it again when it starts.
void keep_freed_memory() {
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, -1);  // never
#endif
}

}  // namespace

int main(int argc, char** argv) {
  using namespace marketsim;
  keep_freed_memory();
  skip_hdf5_cleanup_at_exit();
#ifdef MARKETSIM_HAVE_MPI
  MpiSession mpi_session(&argc, &argv);
  const MpiSession* mpi = &mpi_session;
  // An error on one rank ends them all (the others would wait for it forever).
  const auto exit_with = [&](int code) {
    if (mpi_session.size() > 1 && code != kExitOk) mpi_session.abort(code);
    return code;
  };
#else
  const MpiSession* mpi = nullptr;
  const auto exit_with = [](int code) { return code; };
#endif
  CLI::App app{"marketsim: discrete-event simulator of ecommerce offer marketplaces"};
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);

  RunCommand run;
  auto* run_cmd = app.add_subcommand("run", "run every cell x replication of a scenario");
  run_cmd->add_option("scenario", run.scenario, "scenario file (TOML)")->required();
  run_cmd->add_option("-o,--output", run.output, "output HDF5 file (default results/NAME.h5)");
  run_cmd->add_option("--threads", run.threads, "worker threads (default: all cores)")
      ->check(CLI::Range(1, 4096));
  run_cmd->add_option("--replications", run.replications, "override run.replications")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1000000}));
  run_cmd->add_option("--seed", run.seed, "override run.seed")->check(CLI::NonNegativeNumber);
  run_cmd->add_option("--set", run.overrides, "override a key: --set key.path=value");
  run_cmd->add_option("--shard", run.shard,
                      "I/N: run only the replications r with r % N == I and write a shard file "
                      "for `marketsim merge`");
  run_cmd->add_flag("--resume", run.resume,
                    "continue the interrupted run whose journal OUT.journal is there (same "
                    "scenario, overrides and shard); without one, start from the beginning");
  run_cmd->add_flag("--no-clobber", run.no_clobber, "refuse to replace an existing output file");

  std::string merge_output;
  std::vector<std::string> merge_shards;
  bool merge_no_clobber = false;
  auto* merge_cmd = app.add_subcommand(
      "merge", "join the shard files of a run (run --shard I/N) into its results file");
  merge_cmd->add_option("output", merge_output, "results file to write (HDF5)")->required();
  merge_cmd->add_option("shards", merge_shards, "shard files, one per slice 0..N-1")->required();
  merge_cmd->add_flag("--no-clobber", merge_no_clobber, "refuse to replace an existing output");

  std::string validate_path;
  std::vector<std::string> validate_overrides;
  auto* validate_cmd = app.add_subcommand(
      "validate",
      "check a scenario without running it and print its estimated peak memory and CPU time; "
      "refuses (exit 2) scenarios estimated above physical memory or 30 CPU-days");
  validate_cmd->add_option("scenario", validate_path, "scenario file (TOML)")->required();
  validate_cmd->add_option("--set", validate_overrides, "override a key: --set key.path=value");

  bool markdown = false;
  auto* list_cmd = app.add_subcommand("list", "list the registered components and parameters");
  list_cmd->add_flag("--markdown", markdown, "print the scenario key reference as Markdown");

  std::string report_path, report_metrics, report_window, report_format = "table";
  ReportOptions report;
  auto* report_cmd = app.add_subcommand("report", "print the summary of an output file");
  report_cmd->add_option("file", report_path, "marketsim HDF5 output")->required();
  report_cmd->add_option("--baseline", report.baseline,
                         "cell the paired differences are taken against (default: the "
                         "scenario's report.baseline, else the first cell)");
  report_cmd->add_option("--metrics", report_metrics,
                         "comma-separated /summary columns to show (default: the scenario's "
                         "report.metrics, else the standard blocks)");
  report_cmd->add_option("--window", report_window,
                         "FROM:TO in hours: sum the /series windows ending in (FROM, TO]");
  report_cmd->add_option("--format", report_format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));

  std::string plot_path, plot_dir;
  auto* plot_cmd = app.add_subcommand(
      "plot", "write a PNG gallery with an index.html of an output file (matplotlib)");
  plot_cmd->add_option("file", plot_path, "marketsim HDF5 output")->required();
  plot_cmd->add_option("-o,--output", plot_dir, "directory (default: OUT without .h5 + _plots)");

  std::string ope_path;
  std::vector<std::string> ope_target;
  auto* ope_cmd = app.add_subcommand(
      "ope", "estimate a target explorer's rewards from the logged requests of an output file");
  ope_cmd->add_option("file", ope_path, "marketsim HDF5 output with /impressions and /candidates")
      ->required();
  ope_cmd
      ->add_option("--set", ope_target,
                   "the target explorer: --set recommender.explorer.type=NAME and its "
                   "recommender.explorer.NAME.* keys")
      ->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }

  // Interrupt, termination and a closed terminal all stop a batch the same way: finished
  // replications are kept and the exit code is 130.
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) std::signal(signal, on_signal);
  try {
    if (*run_cmd) return exit_with(run_command(run, g_interrupted, mpi));
    if (*merge_cmd) return merge_command(merge_output, merge_shards, merge_no_clobber);
    if (*validate_cmd) return validate_command(validate_path, validate_overrides);
    if (*list_cmd) return list_command(markdown);
    if (*report_cmd)
      return report_command(report_path, report, report_metrics, report_window, report_format);
    if (*ope_cmd) return ope_command(ope_path, ope_target);
    if (*plot_cmd) return plot_command(plot_path, plot_dir);
  } catch (const UsageError& e) {
    std::cerr << e.what() << "\n";
    return exit_with(kExitUsage);
  } catch (const std::bad_alloc&) {
    std::cerr << "marketsim: " << kOutOfMemoryMessage << "\n";
    return exit_with(kExitRunFailure);
  } catch (const std::exception& e) {
    std::cerr << "marketsim: " << e.what() << "\n";
    return exit_with(kExitRunFailure);
  }
  return kExitUsage;
}
