#include "sim/runner/experiment_runner.h"

#include <tbb/task_arena.h>

#include <chrono>
#include <deque>
#include <exception>
#include <map>
#include <new>
#include <optional>
#include <tuple>

#include "sim/core/error.h"
#include "sim/runner/replication_codec.h"
#include "sim/runner/result_tables.h"
#include "sim/runner/run_journal.h"
#include "sim/runner/world_pool.h"
#include "sim/runner/world_tasks.h"
#include "sim/world/world_spec.h"

namespace marketsim {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Runs `order` on `threads` threads of this process.
std::exception_ptr run_here(const std::vector<WorldSpec>& cells,
                            const std::vector<WorldTask>& order, int threads,
                            const std::atomic<bool>& stop, const DeliverWorlds& deliver,
                            std::atomic<std::uint64_t>& progress) {
  std::atomic<bool> halt{false};
  WorldPool pool(cells, threads, halt, &progress);
  for (const WorldTask& task : order) pool.submit(task);
  pool.close();
  std::deque<FinishedReplication> batch;
  for (bool running = true; running;) {
    running = pool.drain(batch, std::chrono::milliseconds(250));
    std::erase_if(batch, [](const FinishedReplication& r) { return !r.completed; });
    if (stop.load()) halt = true;
    if (!deliver(batch)) halt = true;
  }
  return pool.failure();
}

// Where each finished world goes: the journal first (so it survives whatever follows), then the
// results file's series and the collector, or, for a shard, its encoded record.
class FinishedWorlds {
 public:
  FinishedWorlds(const std::vector<WorldTask>& tasks, RunJournal& journal, ResultsFile* file,
                 ResultCollector& collector)
      : tasks_(tasks),
        journal_(journal),
        file_(file),
        collector_(collector),
        done_(tasks.size(), false),
        records_(file == nullptr ? tasks.size() : 0) {
    for (std::size_t i = 0; i < tasks.size(); ++i) index_[key(tasks[i])] = i;
  }

  // Takes a finished world; `journaled` when it came from the journal (resume).
  void accept(FinishedReplication r, bool journaled) {
    const auto found = index_.find(key(r));
    if (found == index_.end() || done_[found->second])
      throw RunError(journal_.path() + ": holds a world this run does not have, or one twice");
    // A shard keeps the encoding it journals; a resumed shard's journaled worlds are encoded anew.
    // Otherwise the journal encodes the world straight into its file.
    std::string record;
    if (file_ == nullptr) {
      record = encode_replication(r);
      if (!journaled) journal_.append(record);
    } else if (!journaled) {
      journal_.append(r);
    }
    done_[found->second] = true;
    ++done_count_;
    if (r.truth_experiment < 0) ++replications_done_;
    events_ += r.events;
    if (file_ == nullptr) {
      records_[found->second] = std::move(record);
      return;
    }
    if (r.truth_experiment < 0) file_->write_series(r.cell, r.replication, r.series);
    collector_.add(std::move(r));
  }

  bool done(std::size_t task) const { return done_[task]; }
  bool all_done() const { return done_count_ == tasks_.size(); }
  std::size_t replications_done() const { return replications_done_; }
  std::uint64_t events() const { return events_; }
  // The encoded records of a shard, in task order.
  std::vector<std::string> take_records() { return std::move(records_); }

 private:
  using Key = std::tuple<std::size_t, std::size_t, int, int>;
  static Key key(const WorldTask& t) { return {t.cell, t.replication, t.experiment, t.arm}; }
  static Key key(const FinishedReplication& r) {
    return {r.cell, r.replication, r.truth_experiment, r.truth_arm};
  }

  const std::vector<WorldTask>& tasks_;
  RunJournal& journal_;
  ResultsFile* file_;
  ResultCollector& collector_;
  std::map<Key, std::size_t> index_;
  std::vector<bool> done_;
  std::vector<std::string> records_;
  std::size_t done_count_ = 0;
  std::size_t replications_done_ = 0;
  std::uint64_t events_ = 0;
};

// Adds to a failure what the journal keeps (any failure but a UsageError becomes a RunError).
[[noreturn]] void rethrow_keeping(std::exception_ptr failure, const FinishedWorlds& finished,
                                  const RunJournal& journal) {
  if (finished.replications_done() == 0) std::rethrow_exception(failure);
  const std::string kept = "; " + std::to_string(finished.replications_done()) +
                           " finished replications are kept in " + journal.path() +
                           " (run again with --resume to continue)";
  try {
    std::rethrow_exception(failure);
  } catch (const UsageError& e) {
    throw UsageError(e.what() + kept);
  } catch (const std::bad_alloc&) {
    throw RunError(kOutOfMemoryMessage + kept);
  } catch (const std::exception& e) {
    throw RunError(e.what() + kept);
  }
}

}  // namespace

void write_collected(ResultsFile& file, const ResultCollector& collector, const Scenario& scenario,
                     const std::vector<WorldSpec>& cells) {
  const auto replications = static_cast<std::size_t>(cells.front().run.replications);
  file.write_table("advertisers", collector.advertiser_table());
  file.write_table("timing/latency", collector.latency_table());
  file.write_table("impressions", collector.impression_table());
  std::int64_t slots = 0;
  for (const WorldSpec& cell : cells) slots = std::max(slots, cell.partners.slots);
  file.write_table("candidates", collector.candidate_table(static_cast<std::size_t>(slots)));
  for (std::size_t t = 0; t < cells.front().ope_targets.size(); ++t)
    file.write_arrays("ope/" + cells.front().ope_targets[t].name,
                      collector.ope_arrays(t, replications));
  file.write_table("alerts", collector.alert_table());
  const std::vector<CellSeriesLayout> layouts = series_layouts(scenario, cells);
  for (std::size_t c = 0; c < cells.size(); ++c)
    file.write_arrays("models/" + layouts[c].cell_name,
                      collector.model_arrays(c, layouts[c].replications, layouts[c].window_end,
                                             cells[c].evaluation.reliability_upper));
  for (std::size_t e = 0; e < cells.front().experiments.size(); ++e)
    file.write_arrays("experiments/" + cells.front().experiments[e].name,
                      collector.experiment_arrays(e, cells, replications, layouts[0].window_end));
}

RunSummary run_experiment(const Scenario& scenario, const RunOptions& options,
                          const std::atomic<bool>& stop,
                          const std::function<void(const RunProgress&)>& on_progress) {
  const auto start = Clock::now();
  const std::vector<WorldSpec> cells = cell_worlds(scenario);
  const auto replications = static_cast<std::size_t>(cells.front().run.replications);
  std::vector<WorldTask> tasks;
  for (const WorldTask& task : world_tasks(cells, replications))
    if (options.shard.holds(task.replication)) tasks.push_back(task);
  std::size_t total = 0;
  for (const WorldTask& task : tasks) total += task.experiment < 0 ? 1 : 0;

  const Provenance provenance = make_provenance(scenario);
  std::vector<FinishedReplication> kept;
  RunJournal journal(options.output_path + ".journal", run_fingerprint(provenance, options.shard),
                     options.resume, kept);
  std::optional<ResultsFile> file;
  if (options.shard.whole())
    file.emplace(options.output_path, provenance, series_layouts(scenario, cells));
  ResultCollector collector(scenario);
  FinishedWorlds finished(tasks, journal, file ? &*file : nullptr, collector);
  for (FinishedReplication& r : kept) finished.accept(std::move(r), true);
  kept.clear();

  // The worlds start in dispatch order, so the longest start first.
  std::vector<WorldTask> order;
  for (std::size_t i : dispatch_order(tasks, cells))
    if (!finished.done(i)) order.push_back(tasks[i]);

  RunProgress progress{finished.replications_done(), total, finished.events(), 0};
  std::atomic<std::uint64_t> running{0};
  std::exception_ptr write_failure;
  const auto deliver = [&](std::deque<FinishedReplication>& batch) {
    for (FinishedReplication& r : batch) {
      if (write_failure) break;
      try {
        finished.accept(std::move(r), false);
      } catch (...) {
        write_failure = std::current_exception();
      }
    }
    batch.clear();
    progress.done = finished.replications_done();
    progress.events = finished.events();
    progress.elapsed_s = seconds_since(start);
    progress.running = static_cast<double>(running.load(std::memory_order_relaxed)) /
                       static_cast<double>(kProgressPerWorld);
    on_progress(progress);
    return !write_failure;
  };
  const std::exception_ptr failure =
      options.dispatcher != nullptr
          ? options.dispatcher->run(order, stop, deliver)
          : run_here(cells, order, options.threads, stop, deliver, running);
  if (failure) rethrow_keeping(failure, finished, journal);
  if (write_failure) rethrow_keeping(write_failure, finished, journal);

  RunSummary summary;
  summary.done = progress.done;
  summary.total = total;
  summary.events = progress.events;
  summary.transactions = collector.transactions();
  summary.interrupted = !finished.all_done();
  try {
    if (!file) {
      summary.written_path = journal.path();
      if (!summary.interrupted) {
        ShardContents shard{options.shard,
                            provenance.software_version,
                            provenance.scenario_path,
                            provenance.scenario_text,
                            fingerprint_text(run_fingerprint(provenance, ShardSpec{})),
                            provenance.overrides,
                            finished.take_records()};
        write_shard(options.output_path, shard, options.no_clobber);
        summary.written_path = options.output_path;
        journal.remove();
      }
    } else {
      // On the run's threads: the logs' chunks compress in parallel (write_deflated_columns).
      tbb::task_arena arena(options.threads);
      arena.execute([&] { write_collected(*file, collector, scenario, cells); });
      if (summary.interrupted) {
        summary.written_path =
            file->finish_interrupted(collector.summary_table(), collector.timing_table());
      } else {
        file->finish(collector.summary_table(), collector.timing_table(), options.no_clobber);
        summary.written_path = options.output_path;
        journal.remove();
      }
    }
  } catch (...) {
    rethrow_keeping(std::current_exception(), finished, journal);
  }
  summary.elapsed_s = seconds_since(start);
  return summary;
}

}  // namespace marketsim
