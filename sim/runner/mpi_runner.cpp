// Messages (MPI_COMM_WORLD, bytes): a serving rank sends kRequest when one of its threads is free,
// kRecord with a finished world's encoding, kFailed with a world's error and kDone when it has
// nothing left; rank 0 answers each kRequest with kTask (a world, or empty: no more) and may send
// kHalt to stop running worlds early. MPI is called from the main thread only.
#include "sim/runner/mpi_runner.h"

#include <mpi.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <new>
#include <thread>

#include "sim/core/error.h"
#include "sim/runner/replication_codec.h"
#include "sim/runner/world_pool.h"

namespace marketsim {
namespace {

enum Tag : int { kRequest = 1, kRecord, kFailed, kDone, kTask, kHalt };

constexpr auto kPollInterval = std::chrono::milliseconds(1);
constexpr auto kProgressInterval = std::chrono::milliseconds(250);

void send(const std::string& bytes, int to, Tag tag) {
  MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, to, tag, MPI_COMM_WORLD);
}

// A message waiting from `from` (MPI_ANY_SOURCE for anyone), if there is one.
bool receive(int from, std::string& bytes, MPI_Status& status) {
  int waiting = 0;
  MPI_Iprobe(from, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &status);
  if (!waiting) return false;
  int size = 0;
  MPI_Get_count(&status, MPI_BYTE, &size);
  bytes.resize(static_cast<std::size_t>(size));
  MPI_Recv(bytes.data(), size, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  return true;
}

std::string encode_task(const WorldTask& task) {
  const std::int64_t fields[4] = {static_cast<std::int64_t>(task.cell),
                                  static_cast<std::int64_t>(task.replication), task.experiment,
                                  task.arm};
  return std::string(reinterpret_cast<const char*>(fields), sizeof fields);
}

WorldTask decode_task(const std::string& bytes) {
  std::int64_t fields[4];
  if (bytes.size() != sizeof fields) throw RunError("MPI: a malformed task message");
  std::memcpy(fields, bytes.data(), sizeof fields);
  return WorldTask{static_cast<std::size_t>(fields[0]), static_cast<std::size_t>(fields[1]),
                   static_cast<int>(fields[2]), static_cast<int>(fields[3])};
}

// Every rank agrees on the run, or every rank learns that one does not.
bool same_run_everywhere(std::uint64_t fingerprint) {
  std::uint64_t ours = fingerprint;
  MPI_Bcast(&ours, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  int agree = ours == fingerprint ? 1 : 0, all = 0;
  MPI_Allreduce(&agree, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return all == 1;
}

}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) {
  if (std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr && std::getenv("PMI_SIZE") == nullptr &&
      std::getenv("PMIX_RANK") == nullptr)
    return;
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  initialized_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  if (initialized_) MPI_Finalize();
}

void MpiSession::abort(int code) const {
  if (initialized_) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

MpiDispatcher::MpiDispatcher(const MpiSession& session, std::uint64_t fingerprint)
    : session_(session) {
  if (!same_run_everywhere(fingerprint))
    throw UsageError(
        "mpirun: the ranks resolved different runs (scenario files, overrides or "
        "software versions differ between them)");
}

std::exception_ptr MpiDispatcher::run(const std::vector<WorldTask>& order,
                                      const std::atomic<bool>& stop, const DeliverWorlds& deliver) {
  std::exception_ptr failure;
  std::deque<FinishedReplication> batch;
  std::size_t next = 0;
  int serving = session_.size() - 1;
  bool halted = false, writing_failed = false;
  auto last_delivery = std::chrono::steady_clock::now();
  std::string bytes;
  MPI_Status status;
  while (serving > 0) {
    if (!halted && (stop.load() || failure || writing_failed)) {
      halted = true;
      for (int rank = 1; rank < session_.size(); ++rank) send("", rank, kHalt);
    }
    if (!receive(MPI_ANY_SOURCE, bytes, status)) {
      std::this_thread::sleep_for(kPollInterval);
    } else if (status.MPI_TAG == kRequest) {
      const bool more = !halted && next < order.size();
      send(more ? encode_task(order[next++]) : std::string(), status.MPI_SOURCE, kTask);
    } else if (status.MPI_TAG == kRecord) {
      batch.push_back(decode_replication(bytes, "rank " + std::to_string(status.MPI_SOURCE)));
    } else if (status.MPI_TAG == kFailed) {
      if (!failure)
        failure = std::make_exception_ptr(
            RunError("rank " + std::to_string(status.MPI_SOURCE) + ": " + bytes));
    } else if (status.MPI_TAG == kDone) {
      --serving;
    }
    const auto now = std::chrono::steady_clock::now();
    if (!batch.empty() || now - last_delivery >= kProgressInterval) {
      if (!deliver(batch)) writing_failed = true;
      last_delivery = now;
    }
  }
  deliver(batch);
  return failure;
}

void serve_worlds(std::uint64_t fingerprint, const std::vector<WorldSpec>& cells, int threads,
                  const std::atomic<bool>& stop) {
  if (!same_run_everywhere(fingerprint))
    throw UsageError(
        "mpirun: the ranks resolved different runs (scenario files, overrides or "
        "software versions differ between them)");
  std::atomic<bool> halt{false};
  WorldPool pool(cells, threads, halt);
  int unanswered = threads, running = 0;
  for (int i = 0; i < threads; ++i) send("", 0, kRequest);
  bool reported = false;
  std::deque<FinishedReplication> batch;
  std::string bytes;
  MPI_Status status;
  while (unanswered > 0 || running > 0) {
    while (receive(0, bytes, status)) {
      if (status.MPI_TAG == kHalt) {
        halt = true;
      } else if (status.MPI_TAG == kTask) {
        --unanswered;
        if (!bytes.empty()) {
          pool.submit(decode_task(bytes));
          ++running;
        }
      }
    }
    if (stop.load()) halt = true;
    pool.drain(batch, kPollInterval);
    for (FinishedReplication& r : batch) {
      --running;
      if (r.completed) send(encode_replication(r), 0, kRecord);
      if (!halt.load()) {
        send("", 0, kRequest);
        ++unanswered;
      }
    }
    batch.clear();
    if (!reported && pool.failure()) {
      reported = true;
      try {
        std::rethrow_exception(pool.failure());
      } catch (const std::bad_alloc&) {
        send(kOutOfMemoryMessage, 0, kFailed);
      } catch (const std::exception& e) {
        send(e.what(), 0, kFailed);
      }
    }
  }
  send("", 0, kDone);
}

}  // namespace marketsim
