// The MPI driver (built when CMake finds MPI): under `mpirun -np K marketsim run ...`, rank 0 runs
// the batch as usual (journal, results file, progress) but hands the worlds out, one at a time, to
// the threads of ranks 1..K-1 as they free up (worlds differ in length); those ranks run them on
// their own oneTBB threads and send back each finished world's record. Rank 0 writes the file as
// the records arrive, so the output is the single-process file.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/runner/experiment_runner.h"

namespace marketsim {

// MPI for this process: initialized when it was started by an MPI launcher (OpenMPI's
// OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK set), else a world of one rank. Finalized on
// destruction.
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  // Ends every rank with `code` (after an error on one of them, the others would wait forever).
  [[noreturn]] void abort(int code) const;

 private:
  bool initialized_ = false;
  int rank_ = 0;
  int size_ = 1;
};

// Rank 0's side: checks that every rank resolved the same run (`fingerprint`, see
// run_fingerprint), then dispatches worlds to the other ranks' threads.
class MpiDispatcher : public WorldDispatcher {
 public:
  MpiDispatcher(const MpiSession& session, std::uint64_t fingerprint);

  std::exception_ptr run(const std::vector<WorldTask>& order, const std::atomic<bool>& stop,
                         const DeliverWorlds& deliver) override;

 private:
  const MpiSession& session_;
};

// The other ranks' side: checks the fingerprint against rank 0's (UsageError when they differ),
// then runs the worlds rank 0 hands out on `threads` threads until it says stop. `stop` (a
// signal to this rank) stops the running worlds early, and the rank asks for no more.
void serve_worlds(std::uint64_t fingerprint, const std::vector<WorldSpec>& cells, int threads,
                  const std::atomic<bool>& stop);

}  // namespace marketsim
