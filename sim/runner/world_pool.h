// A pool of worker threads (a oneTBB arena) that runs worlds in the order they are submitted and
// hands the finished ones to the thread that drains it: the runner's engine, in one process or on
// each MPI rank.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sim/runner/replication_capture.h"
#include "sim/runner/world_base_cache.h"
#include "sim/runner/world_tasks.h"
#include "sim/world/world_spec.h"

namespace marketsim {

// Runs submitted worlds on `threads` threads. Worlds of a replication whose cells agree on the
// world (WorldSpec::base_signature) share its WorldBase. Every submitted world comes back once,
// finished or not (`completed` false): when `halt` becomes true, running worlds stop early and
// queued ones do not start. A world that throws halts the pool and comes back
// unfinished; the first exception is kept for failure().
class WorldPool {
 public:
  // `progress`, when given, sums the simulated-time progress of the running worlds of cells
  // (not counterfactual ones) in units of kProgressPerWorld (see World::run).
  WorldPool(const std::vector<WorldSpec>& cells, int threads, std::atomic<bool>& halt,
            std::atomic<std::uint64_t>* progress = nullptr);
  ~WorldPool();  // closes the pool and waits for its threads
  WorldPool(const WorldPool&) = delete;
  WorldPool& operator=(const WorldPool&) = delete;

  // Queues `task` behind those submitted before.
  void submit(const WorldTask& task);
  // No more submissions: the threads end once the queue is empty.
  void close();
  // Waits up to `timeout` for finished worlds and appends them to `out`. Returns false once every
  // thread has ended (closed, or halted and closed): what it appended then is the last.
  bool drain(std::deque<FinishedReplication>& out, std::chrono::milliseconds timeout);
  // The first exception a world threw, or null.
  std::exception_ptr failure() const;

 private:
  void work();

  const std::vector<WorldSpec>& cells_;
  int threads_;
  std::atomic<bool>& halt_;
  std::atomic<std::uint64_t>* progress_;
  WorldBaseCache bases_;
  mutable std::mutex mutex_;
  std::condition_variable task_ready_;
  std::condition_variable result_ready_;
  std::deque<WorldTask> tasks_;
  std::deque<FinishedReplication> finished_;
  std::exception_ptr failure_;
  bool closed_ = false;
  bool ended_ = false;
  std::thread runner_;
};

}  // namespace marketsim
