#include "sim/runner/world_pool.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "sim/core/error.h"
#include "sim/world/world.h"

namespace marketsim {
namespace {

using Clock = std::chrono::steady_clock;

FinishedReplication run_one(const WorldSpec& cell_spec, const WorldTask& task,
                            WorldBaseCache& bases, const std::atomic<bool>& stop,
                            std::atomic<std::uint64_t>* progress) {
  const auto start = Clock::now();
  WorldSpec counterfactual;
  if (task.experiment >= 0) {
    counterfactual = cell_spec;
    counterfactual.experiments[static_cast<std::size_t>(task.experiment)].forced_arm = task.arm;
  }
  const WorldSpec& spec = task.experiment >= 0 ? counterfactual : cell_spec;
  const ReplicationKey key{spec.run.seed, task.replication};
  FinishedReplication result;
  result.cell = task.cell;
  result.replication = task.replication;
  result.truth_experiment = task.experiment;
  result.truth_arm = task.arm;
  std::shared_ptr<const WorldBase> base;
  try {
    base = bases.acquire(spec.base_signature, task.replication, spec, key, &stop);
  } catch (const BuildInterrupted&) {
    return result;  // not completed
  }
  World world(spec, key, std::move(base));
  const ReplicationOutcome outcome = world.run(&stop, task.experiment < 0 ? progress : nullptr);
  result.completed = outcome.completed;
  result.events = outcome.events;
  result.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  if (!outcome.completed) return result;
  if (task.experiment >= 0) {
    result.experiments = capture_experiments(world);
  } else {
    capture_world(world, spec, result);
  }
  return result;
}

}  // namespace

WorldPool::WorldPool(const std::vector<WorldSpec>& cells, int threads, std::atomic<bool>& halt,
                     std::atomic<std::uint64_t>* progress)
    : cells_(cells), threads_(threads), halt_(halt), progress_(progress), runner_([this] {
        tbb::task_arena arena(threads_);
        arena.execute([&] { tbb::parallel_for(0, threads_, [&](int) { work(); }); });
        {
          std::lock_guard lock(mutex_);
          ended_ = true;
        }
        result_ready_.notify_all();
      }) {}

WorldPool::~WorldPool() {
  close();
  runner_.join();
}

void WorldPool::submit(const WorldTask& task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(task);
  }
  task_ready_.notify_one();
}

void WorldPool::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  task_ready_.notify_all();
}

bool WorldPool::drain(std::deque<FinishedReplication>& out, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  result_ready_.wait_for(lock, timeout, [&] { return ended_ || !finished_.empty(); });
  for (FinishedReplication& r : finished_) out.push_back(std::move(r));
  finished_.clear();
  return !ended_;
}

std::exception_ptr WorldPool::failure() const {
  std::lock_guard lock(mutex_);
  return failure_;
}

void WorldPool::work() {
  for (;;) {
    WorldTask task;
    {
      std::unique_lock lock(mutex_);
      task_ready_.wait(lock, [&] { return closed_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      task = tasks_.front();
      tasks_.pop_front();
    }
    FinishedReplication r;
    r.cell = task.cell;
    r.replication = task.replication;
    r.truth_experiment = task.experiment;
    r.truth_arm = task.arm;
    try {
      if (!halt_.load()) r = run_one(cells_[task.cell], task, bases_, halt_, progress_);
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!failure_) failure_ = std::current_exception();
      halt_ = true;
    }
    {
      std::lock_guard lock(mutex_);
      finished_.push_back(std::move(r));
    }
    result_ready_.notify_all();
  }
}

}  // namespace marketsim
