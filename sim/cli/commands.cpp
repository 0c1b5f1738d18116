#include "sim/cli/commands.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "analysis/output/shard_file.h"
#include "analysis/report/summary_report.h"
#include "models/calibration/calibrator.h"
#include "models/predictor.h"
#include "policies/auction/auction.h"
#include "policies/auction/reserve_policy.h"
#include "policies/bidding/bidder.h"
#include "policies/candidates/candidate_generator.h"
#include "policies/exploration/explorer.h"
#include "policies/pacing/pacer.h"
#include "sim/cli/progress_printer.h"
#include "sim/core/error.h"
#include "sim/runner/offline_ope.h"
#include "sim/runner/shard_merge.h"
#ifdef MARKETSIM_HAVE_MPI
#include "sim/runner/mpi_runner.h"
#endif
#include "sim/world/resource_estimate.h"
#include "sim/world/world_spec.h"

namespace marketsim {
namespace {

std::string default_output(const std::string& scenario) {
  return "results/" + std::filesystem::path(scenario).stem().string() + ".h5";
}

template <typename RegistryT>
void print_registry(const std::string& stage, const RegistryT& registry) {
  std::cout << stage << " (recommender." << stage << ".type):\n";
  for (const ComponentInfo& c : registry.components()) {
    std::cout << "  " << c.name << " - " << c.description << "\n";
    for (const ParamSpec& p : c.params) {
      std::cout << "      recommender." << stage << "." << c.name << "." << p.path << " ("
                << kind_name(p.kind) << ", default "
                << (p.default_value ? format_value(*p.default_value) : "required");
      const std::string range = describe_range(p);
      if (!range.empty()) std::cout << ", " << range;
      std::cout << ") " << p.description << "\n";
    }
  }
}

// Checks, before anything is simulated, that the results can be written to `output`: its
// directory exists (created if need be) and is writable, and `output` is neither a directory nor
// an input (the scenario), and with `no_clobber` it does not exist. Throws UsageError (exit 2) with
// one line naming the problem.
void check_output_path(const std::string& output, const std::vector<std::string>& inputs,
                       bool no_clobber) {
  namespace fs = std::filesystem;
  const fs::path path(output);
  const fs::path parent = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code error;
  fs::create_directories(parent, error);
  if (error)
    throw UsageError(output + ": cannot create directory " + parent.string() + ": " +
                     error.message());
  if (!fs::is_directory(parent))
    throw UsageError(output + ": " + parent.string() + " is not a directory");
  if (fs::is_directory(path)) throw UsageError(output + ": is a directory");
  for (const std::string& input : inputs)
    if (fs::exists(path) && fs::equivalent(path, fs::path(input), error))
      throw UsageError(output + ": is an input file (" + input + ")");
  if (no_clobber && fs::exists(path))
    throw UsageError(output + ": exists, and --no-clobber keeps it");
  if (access(parent.c_str(), W_OK) != 0)
    throw UsageError(output + ": cannot write in directory " + parent.string() + ": " +
                     std::strerror(errno));
}

}  // namespace

int run_command(const RunCommand& command, const std::atomic<bool>& interrupted,
                const MpiSession* mpi) {
  std::vector<std::string> overrides = command.overrides;
  if (command.replications > 0)
    overrides.push_back("run.replications=" + std::to_string(command.replications));
  if (command.seed >= 0) overrides.push_back("run.seed=" + std::to_string(command.seed));
  const Scenario scenario = load_scenario(command.scenario, overrides, scenario_schema());
  cell_worlds(scenario);

  RunOptions options;
  options.output_path = command.output.empty() ? default_output(command.scenario) : command.output;
  options.threads =
      command.threads > 0 ? command.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (!command.shard.empty()) options.shard = parse_shard(command.shard, "--shard");
  check_resources(scenario, cell_worlds(scenario), options.threads, options.shard.count);
  options.resume = command.resume;
  options.no_clobber = command.no_clobber;
  check_output_path(options.output_path, {command.scenario}, command.no_clobber);
#ifdef MARKETSIM_HAVE_MPI
  std::optional<MpiDispatcher> dispatcher;
  if (mpi != nullptr && mpi->size() > 1) {
    const std::uint64_t fingerprint = run_fingerprint(make_provenance(scenario), options.shard);
    if (mpi->rank() != 0) {
      serve_worlds(fingerprint, cell_worlds(scenario), options.threads, interrupted);
      return kExitOk;
    }
    options.dispatcher = &dispatcher.emplace(*mpi, fingerprint);
  }
#else
  (void)mpi;
#endif

  ProgressPrinter progress(stderr);
  const RunSummary summary = run_experiment(scenario, options, interrupted,
                                            [&](const RunProgress& p) { progress.update(p); });
  progress.finish();
  if (summary.interrupted) {
    const std::string journal = options.output_path + ".journal";
    const std::string kept =
        options.shard.whole() ? summary.written_path + " and " + journal : journal;
    std::fprintf(stderr,
                 "marketsim: interrupted; %zu of %zu replications kept in %s (run again with "
                 "--resume to continue)\n",
                 summary.done, summary.total, kept.c_str());
    return kExitInterrupted;
  }
  if (!options.shard.whole()) {
    std::fprintf(stderr, "marketsim: wrote shard %zu/%zu to %s (%zu replications, %.2fs)\n",
                 options.shard.index, options.shard.count, summary.written_path.c_str(),
                 summary.done, summary.elapsed_s);
    return kExitOk;
  }
  std::cout << summary_report(summary.written_path);
  std::fprintf(
      stderr, "marketsim: wrote %s (%zu replications, %.2fs, %.3g transactions/s)\n",
      summary.written_path.c_str(), summary.done, summary.elapsed_s,
      summary.elapsed_s > 0 ? static_cast<double>(summary.transactions) / summary.elapsed_s : 0.0);
  return kExitOk;
}

int merge_command(const std::string& output, const std::vector<std::string>& shards,
                  bool no_clobber) {
  check_output_path(output, shards, no_clobber);
  const RunSummary summary = merge_shards(output, shards, no_clobber);
  std::cout << summary_report(summary.written_path);
  std::fprintf(stderr, "marketsim: merged %zu shards into %s (%zu replications)\n", shards.size(),
               output.c_str(), summary.done);
  return kExitOk;
}

int validate_command(const std::string& path, const std::vector<std::string>& overrides) {
  const Scenario scenario = load_scenario(path, overrides, scenario_schema());
  const int threads = static_cast<int>(std::thread::hardware_concurrency());
  const ResourceEstimate estimate = check_resources(scenario, cell_worlds(scenario), threads);
  std::cout << path << ": valid (" << scenario.cells.size() << " cells x "
            << scenario.base.get_int("run.replications") << " replications)\n"
            << "  " << describe(estimate, threads) << "\n";
  return kExitOk;
}

int list_command(bool markdown) {
  if (markdown) {
    std::cout << schema_markdown(scenario_schema());
    return kExitOk;
  }
  print_registry("candidates", candidate_generator_registry());
  print_registry("ranker", predictor_registry());
  print_registry("conversion_model", predictor_registry());
  print_registry("user_value_model", predictor_registry());
  print_registry("explorer", explorer_registry());
  print_registry("auction", auction_registry());
  print_registry("reserve", reserve_policy_registry());
  print_registry("pacer", pacer_registry());
  print_registry("bidder", bidder_registry());
  std::cout << "calibrators (recommender.<ranker|conversion_model|user_value_model>"
               ".calibration.method):\n";
  for (const ComponentInfo& c : calibrator_registry().components())
    std::cout << "  " << c.name << " - " << c.description << "\n";
  std::cout << "objective ([recommender.objective]):\n";
  for (const ParamSpec& p : RankingObjective::declare())
    std::cout << "      recommender.objective." << p.path << " (" << kind_name(p.kind)
              << ", default " << format_value(*p.default_value) << ", " << describe_range(p) << ") "
              << p.description << "\n";
  return kExitOk;
}

int report_command(const std::string& path, ReportOptions options, const std::string& metrics,
                   const std::string& window, const std::string& format) {
  std::stringstream list(metrics);
  for (std::string item; std::getline(list, item, ',');)
    if (!item.empty()) options.metrics.push_back(item);
  if (!window.empty()) {
    const auto colon = window.find(':');
    std::size_t used_from = 0, used_to = 0;
    try {
      if (colon == std::string::npos) throw std::invalid_argument("no colon");
      options.from_h = std::stod(window.substr(0, colon), &used_from);
      options.to_h = std::stod(window.substr(colon + 1), &used_to);
    } catch (const std::exception&) {
      used_from = 0;
    }
    if (used_from != colon || used_to != window.size() - colon - 1 ||
        !(options.from_h < options.to_h))
      throw UsageError("--window: expected FROM:TO in hours with FROM < TO, got \"" + window +
                       "\"");
    options.windowed = true;
  }
  options.format = format == "csv"    ? ReportFormat::kCsv
                   : format == "json" ? ReportFormat::kJson
                                      : ReportFormat::kTable;
  std::cout << summary_report(path, options);
  return kExitOk;
}

int ope_command(const std::string& path, const std::vector<std::string>& target) {
  std::cout << offline_ope_report(path, target);
  return kExitOk;
}

int plot_command(const std::string& path, const std::string& dir) {
  if (!std::filesystem::is_regular_file(path))
    throw UsageError("marketsim plot: " + path + ": no such file");
  std::string out = dir;
  if (out.empty()) {
    const std::filesystem::path p(path);
    out = (p.parent_path() / (p.stem().string() + "_plots")).string();
  }
  const std::string script = MARKETSIM_PLOT_SCRIPT;
  if (!std::filesystem::is_regular_file(script))
    throw RunError("marketsim plot: the gallery script " + script + " is missing");
  std::vector<char*> args;
  std::string python = "/usr/bin/python3";
  for (std::string* s :
       {&python, const_cast<std::string*>(&script), const_cast<std::string*>(&path), &out})
    args.push_back(s->data());
  args.push_back(nullptr);
  const pid_t child = fork();
  if (child < 0) throw RunError("marketsim plot: cannot start /usr/bin/python3");
  if (child == 0) {
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(child, &status, 0) < 0) throw RunError("marketsim plot: lost /usr/bin/python3");
  if (WIFSIGNALED(status))
    throw RunError("marketsim plot: /usr/bin/python3 stopped by signal " +
                   std::to_string(WTERMSIG(status)));
  if (!WIFEXITED(status) || WEXITSTATUS(status) == 127)
    throw RunError("marketsim plot: /usr/bin/python3 " + script +
                   " failed (Debian's "
                   "python3-matplotlib, python3-h5py, python3-xarray and python3-scipy needed)");
  return WEXITSTATUS(status) == 0   ? kExitOk
         : WEXITSTATUS(status) == 2 ? kExitUsage
                                    : kExitRunFailure;
}

}  // namespace marketsim
