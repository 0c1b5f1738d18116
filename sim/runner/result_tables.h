// Turns finished replications into the tables and layouts of the results file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "analysis/output/results_file.h"
#include "sim/runner/replication_capture.h"
#include "sim/scenario/scenario.h"
#include "sim/world/world_spec.h"

namespace marketsim {

// Provenance of a run of `scenario` (text, resolved text, overrides, seed).
Provenance make_provenance(const Scenario& scenario);

// The /series layout of every cell (`specs` in cell order).
std::vector<CellSeriesLayout> series_layouts(const Scenario& scenario,
                                             const std::vector<WorldSpec>& specs);

// Collects finished replications and builds /summary and /timing in (cell, replication) order,
// whatever order they finished in.
class ResultCollector {
 public:
  explicit ResultCollector(const Scenario& scenario);

  void add(FinishedReplication result);

  Table summary_table() const;
  Table timing_table() const;
  Table advertiser_table() const;
  // Per cell and stage: p50, p95, p99 of the sampled per-request wall times (all replications).
  Table latency_table() const;
  // The logged impressions of every replication (see run.log_every), filled a slice of rows at a
  // time as the file writes them (the collector must outlive the table).
  SlicedTable impression_table() const;
  // The candidates of the logged requests of every replication, with the logging policy's slot
  // probabilities and predictions at each of up to `slots` slots; filled like impression_table.
  SlicedTable candidate_table(std::size_t slots) const;
  // The /ope/<target> arrays of off-policy target `target`.
  ArrayGroup ope_arrays(std::size_t target, std::size_t replications) const;
  // The monitor's alerts of every replication.
  Table alert_table() const;
  // The /models/<cell> arrays of cell `cell` with `replications` rows.
  ArrayGroup model_arrays(std::size_t cell, std::size_t replications,
                          const std::vector<double>& window_end, double reliability_upper) const;
  // The /experiments/<name> arrays of experiment `experiment` over every cell (`cells` in cell
  // order, each with `replications` rows and windows ending at `window_end`).
  ArrayGroup experiment_arrays(std::size_t experiment, const std::vector<WorldSpec>& cells,
                               std::size_t replications,
                               const std::vector<double>& window_end) const;
  std::uint64_t transactions() const;

 private:
  std::vector<const FinishedReplication*> ordered() const;

  std::vector<std::string> cell_names_;
  std::vector<FinishedReplication> results_;
  std::vector<FinishedReplication> counterfactuals_;  // experiments' counterfactual worlds
};

}  // namespace marketsim
