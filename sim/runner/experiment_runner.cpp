#include "sim/runner/experiment_runner.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "sim/core/error.h"
#include "sim/runner/result_tables.h"
#include "sim/runner/world_base_cache.h"
#include "sim/runner/world_tasks.h"
#include "sim/world/world.h"
#include "sim/world/world_spec.h"

namespace marketsim {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Finished replications handed from the TBB workers to the writing thread.
class ResultQueue {
 public:
  void push(FinishedReplication result) {
    {
      std::lock_guard lock(mutex_);
      pending_.push_back(std::move(result));
    }
    ready_.notify_one();
  }

  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_one();
  }

  // Waits up to `timeout` for results; returns those available and whether the queue is closed.
  bool drain(std::deque<FinishedReplication>& out, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, timeout, [&] { return closed_ || !pending_.empty(); });
    out.swap(pending_);
    return closed_ && out.empty();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<FinishedReplication> pending_;
  bool closed_ = false;
};

FinishedReplication run_one(const WorldSpec& cell_spec, const WorldTask& task,
                            const std::string& signature, WorldBaseCache& bases,
                            const std::atomic<bool>& stop) {
  const auto start = Clock::now();
  WorldSpec counterfactual;
  if (task.experiment >= 0) {
    counterfactual = cell_spec;
    counterfactual.experiments[static_cast<std::size_t>(task.experiment)].forced_arm = task.arm;
  }
  const WorldSpec& spec = task.experiment >= 0 ? counterfactual : cell_spec;
  const ReplicationKey key{spec.run.seed, task.replication};
  World world(spec, key, bases.acquire(signature, task.replication, spec, key));
  const ReplicationOutcome outcome = world.run(&stop);
  FinishedReplication result;
  result.cell = task.cell;
  result.replication = task.replication;
  result.truth_experiment = task.experiment;
  result.truth_arm = task.arm;
  result.completed = outcome.completed;
  result.events = outcome.events;
  result.wall_s = seconds_since(start);
  if (!outcome.completed) return result;
  if (task.experiment >= 0) {
    result.experiments = capture_experiments(world);
  } else {
    capture_world(world, spec, result);
  }
  return result;
}

}  // namespace

RunSummary run_experiment(const Scenario& scenario, const RunOptions& options,
                          const std::atomic<bool>& stop,
                          const std::function<void(const RunProgress&)>& on_progress) {
  const auto start = Clock::now();
  const std::vector<WorldSpec> cells = cell_worlds(scenario);
  const auto replications = static_cast<std::size_t>(cells.front().run.replications);
  const std::size_t total = cells.size() * replications;
  const std::vector<WorldTask> tasks = world_tasks(cells, replications);

  ResultsFile file(options.output_path, make_provenance(scenario), series_layouts(scenario, cells));
  ResultCollector collector(scenario);
  ResultQueue queue;
  std::atomic<bool> failed{false};
  std::atomic<bool> halt{false};
  std::exception_ptr failure;
  std::mutex failure_mutex;

  // `threads` workers take the tasks from one shared index in dispatch order, so the longest
  // worlds start first (a parallel_for over the tasks would not start them in order).
  const std::vector<std::size_t> order = dispatch_order(tasks, cells);
  // Cells that agree on the world share each replication's users, partners and catalog.
  std::vector<std::string> signatures;
  for (const CellSpec& cell : scenario.cells)
    signatures.push_back(world_base_signature(cell.values));
  WorldBaseCache bases;
  std::atomic<std::size_t> next{0};
  std::thread workers([&] {
    tbb::task_arena arena(options.threads);
    arena.execute([&] {
      tbb::parallel_for(0, options.threads, [&](int) {
        for (std::size_t i = next++; i < order.size() && !halt.load(); i = next++) {
          const WorldTask& task = tasks[order[i]];
          try {
            FinishedReplication r =
                run_one(cells[task.cell], task, signatures[task.cell], bases, halt);
            if (r.completed) queue.push(std::move(r));
          } catch (...) {
            std::lock_guard lock(failure_mutex);
            if (!failure) failure = std::current_exception();
            failed = true;
            halt = true;
          }
        }
      });
    });
    queue.close();
  });

  RunProgress progress{0, total, 0, 0};
  std::size_t counterfactuals_done = 0;
  std::deque<FinishedReplication> batch;
  std::exception_ptr write_failure;
  for (bool closed = false; !closed;) {
    closed = queue.drain(batch, std::chrono::milliseconds(250));
    if (stop.load()) halt = true;
    for (FinishedReplication& r : batch) {
      if (r.truth_experiment >= 0) {
        progress.events += r.events;
        ++counterfactuals_done;
        collector.add(std::move(r));
        continue;
      }
      if (!write_failure) {
        try {
          file.write_series(r.cell, r.replication, r.series);
        } catch (...) {
          write_failure = std::current_exception();
          halt = true;
        }
      }
      progress.events += r.events;
      ++progress.done;
      collector.add(std::move(r));
    }
    batch.clear();
    progress.elapsed_s = seconds_since(start);
    on_progress(progress);
  }
  workers.join();
  if (failure) std::rethrow_exception(failure);
  if (write_failure) std::rethrow_exception(write_failure);

  RunSummary summary;
  summary.done = progress.done;
  summary.total = total;
  summary.events = progress.events;
  summary.transactions = collector.transactions();
  summary.interrupted = progress.done < total || counterfactuals_done < tasks.size() - total;
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
  if (summary.interrupted) {
    summary.written_path =
        file.finish_interrupted(collector.summary_table(), collector.timing_table());
  } else {
    file.finish(collector.summary_table(), collector.timing_table());
    summary.written_path = options.output_path;
  }
  summary.elapsed_s = seconds_since(start);
  return summary;
}

}  // namespace marketsim
