// ResourceEstimate: what a scenario will cost (peak memory, CPU time) before anything is built.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sim/scenario/scenario.h"
#include "sim/world/world_spec.h"

namespace marketsim {

// The estimated cost of running every cell x replication of a scenario on `threads` worker
// threads, or of one of `shards` slices of it (run --shard I/N). Figures are expectations from the
// scenario's keys alone (no world is built); their measured accuracy is documented in
// docs/scenario.md ("Resource estimate").
struct ResourceEstimate {
  double transactions = 0;        // expected transactions over all cells x replications
  double peak_bytes = 0;          // peak resident memory of the process
  double log_bytes = 0;           // of which the off-policy logs (run.log_every), held to the end,
                                  // and a slice of their tables' columns
  double model_bytes = 0;         // of which the models and candidate generators of the worlds
                                  // running at once
  std::string largest_model_key;  // recommender.<stage>.type of the largest of them
  std::size_t largest_model_cell = 0;         // the cell whose world holds it
  std::size_t largest_model_recommender = 0;  // ModelCost::largest_recommender
  double cpu_seconds = 0;   // CPU time (all threads): kTransactionsPerCpuSecond, plus the
                            // networks' predictions and training at their flop rates, plus
                            // building each replication's populations and keeping the
                            // logs
  double wall_seconds = 0;  // cpu_seconds spread over the threads that can be busy
};

// Reference throughput of the estimate, transactions per CPU second, with the Beta ranker: a little
// below bench/run_bench's reference scenario (~465,000 profile-guided and link-time optimised,
// population included) and scenarios/default.toml (~475,000) on the 2-core development machine.
// Models that cost more per candidate add their Footprint::cpu_seconds_per_prediction.
inline constexpr double kTransactionsPerCpuSecond = 400000;

// CPU seconds to build one user of a replication's population (its traits, strata index and a
// world's state, page faults included): bench/reference.toml with 1 and 4 million users, 4
// replications of 0.001 h, on the 2-core development machine.
inline constexpr double kPopulationCpuSecondsPerUser = 0.14e-6;

// Bytes of off-policy log records (run.log_every) kept, journaled, tabled and compressed per CPU
// second: bench/reference.toml, 8 replications, --threads 1, log_every 100 (1.10 GB of records,
// 6.9 s more than without; 159 MB/s) and 1000 (0.78 s more, 141 MB/s) on the 2-core development
// machine, since the logs are reserved, the journal streams them and the tables are written a
// slice at a time (before, records and columns together: ~105 MB/s, then 219 MB/s).
inline constexpr double kLogBytesPerCpuSecond = 150e6;

// Resident bytes of the process before any world: binary, libraries, TBB and HDF5 arenas.
inline constexpr double kBaseProcessBytes = 40e6;

// Expected transactions of one world of `spec`: organic arrivals (partners x base rate x the
// hourly and weekly multipliers summed hour by hour over the duration; flash sales ignored) and the
// return visits each transaction chains (return rate at the initial satisfaction x half the
// duration, on average).
double expected_transactions(const WorldSpec& spec);

// Rows one world of `spec` is expected to log (run.log_every; none when 0): its logged requests,
// their shown slots (impressions, at most) and their candidates (at most the largest candidate
// count of the cell's recommender and an experiment's arms).
struct ExpectedLogRows {
  double requests = 0;
  double impressions = 0;
  double candidates = 0;
};
ExpectedLogRows expected_log_rows(const WorldSpec& spec);

// The estimate for `cells` (one WorldSpec per cell, as cell_worlds returns) on `threads` threads,
// over every world a replication runs (a cell's, and an experiment's counterfactual worlds): a
// population of 28 bytes per user per world (20 shared per replication, 36 beyond 12 latent
// dimensions; 8 per world), the catalog, the traffic-driven buffers (pending return visits,
// samples, labels waiting to mature), the experiments' per-unit figures, the models and candidate
// generators (model_estimate.h) and the process base, times the worlds and replications alive at
// once, plus the off-policy logs of every world (held until the file is written) and one slice of
// the log tables' columns (kTableSliceRows rows of the larger table). CPU: the transactions at
// kTransactionsPerCpuSecond plus the models' own cost per prediction (the networks' arithmetic, the
// hashed learners' bookkeeping; model_estimate.h) plus each replication's populations at
// kPopulationCpuSecondsPerUser (cells with the same base_signature share one) plus the log records
// at kLogBytesPerCpuSecond.
ResourceEstimate estimate_resources(const std::vector<WorldSpec>& cells, int threads,
                                    std::size_t shards = 1);

// "peak memory ~1.2 GB, CPU ~35 s (~18 s on 2 threads), 9.6e6 transactions": one line.
std::string describe(const ResourceEstimate& estimate, int threads);

// Largest CPU time `run` and `validate` accept for one invocation (a shard counts alone): 30
// CPU-days, a month of one core or a long weekend of a 16-core node.
inline constexpr double kMaxCpuSeconds = 30 * 86400.0;

// Refuses (UsageError naming the key at its file position, with the estimate) a scenario whose
// estimated peak memory exceeds this machine's physical memory (key users.count, run.log_every
// when the sampled logs dominate, or recommender.<stage>.type when a model or candidate generator
// does) or whose CPU time exceeds kMaxCpuSeconds (key run.duration_h). Returns the estimate
// otherwise.
ResourceEstimate check_resources(const Scenario& scenario, const std::vector<WorldSpec>& cells,
                                 int threads, std::size_t shards = 1);

// Bytes of physical memory of this machine (0 when unknown).
double physical_memory_bytes();

}  // namespace marketsim
