// What the runner keeps of a finished World: totals, time series and per-advertiser figures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/output/results_file.h"
#include "sim/runner/model_figures.h"
#include "sim/world/world.h"

namespace marketsim {

// One advertiser's figures over a replication.
struct AdvertiserRow {
  std::int64_t bid_type;  // 0 CPC, 1 CPA, 2 CPM
  double daily_budget, target_roas;
  double impressions, clicks, conversions, spend, conversion_value;
};

// What one replication hands to the writer.
struct FinishedReplication {
  std::size_t cell = 0;
  std::size_t replication = 0;
  bool completed = false;
  std::uint64_t events = 0;
  double wall_s = 0;
  std::vector<double> totals;               // one per Metric
  std::vector<std::vector<double>> series;  // per series variable, one value per window
  std::vector<AdvertiserRow> advertisers;
  LatencyRecorder latency;
  std::vector<ImpressionRecord> impressions;
  ModelCapture models;
};

// The /series variables of a cell: the metrics marked in_series, then one "drift_<target>"
// variable per drift target (the offset in force at the end of each window).
std::vector<SeriesVariable> series_variables(const WorldSpec& spec);

// Copies a finished world's totals, series (in series_variables order) and advertisers.
void capture_world(const World& world, const WorldSpec& spec, FinishedReplication& result);

}  // namespace marketsim
