// Turns finished replications into the tables and layouts of the results file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "analysis/output/results_file.h"
#include "sim/scenario/scenario.h"
#include "sim/world/recorder.h"
#include "sim/world/world_spec.h"

namespace marketsim {

// What one replication hands to the writer.
struct FinishedReplication {
  std::size_t cell = 0;
  std::size_t replication = 0;
  bool completed = false;
  std::uint64_t events = 0;
  double wall_s = 0;
  std::vector<double> totals;               // one per Metric
  std::vector<std::vector<double>> series;  // one per series metric, one value per window
};

// Copies a recorder's totals and per-window series into `result`.
void capture_metrics(const Recorder& recorder, FinishedReplication& result);

// Provenance of a run of `scenario` (text, resolved text, overrides, seed).
Provenance make_provenance(const Scenario& scenario);

// The /series layout of every cell; all cells share `spec`'s duration, window and replications.
std::vector<CellSeriesLayout> series_layouts(const Scenario& scenario, const WorldSpec& spec);

// Collects finished replications and builds /summary and /timing in (cell, replication) order,
// whatever order they finished in.
class ResultCollector {
 public:
  explicit ResultCollector(const Scenario& scenario);

  void add(FinishedReplication result);

  Table summary_table() const;
  Table timing_table() const;
  std::uint64_t transactions() const;

 private:
  std::vector<const FinishedReplication*> ordered() const;

  std::vector<std::string> cell_names_;
  std::vector<FinishedReplication> results_;
};

}  // namespace marketsim
