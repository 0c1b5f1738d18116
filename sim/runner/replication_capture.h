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

// One A/B experiment's snapshots from one world (see ExperimentTracker).
struct ExperimentCapture {
  std::vector<std::vector<ArmSegmentSums>> snapshots;  // per window: arm x segment
  std::vector<double> enrolled_shares;                 // per window
  std::vector<std::vector<double>> arm_shares;         // per window: each arm's share of units
  std::vector<std::vector<double>> first_seen;         // per window: see ExperimentTracker
};

// What one replication hands to the writer. A counterfactual world of an experiment's arm (every
// unit in that arm, for the true effect) has `truth_experiment` >= 0 and keeps only that
// experiment's capture.
struct FinishedReplication {
  std::size_t cell = 0;
  std::size_t replication = 0;
  int truth_experiment = -1;
  int truth_arm = -1;
  bool completed = false;
  std::uint64_t events = 0;
  double wall_s = 0;
  std::vector<double> totals;               // one per Metric
  std::vector<std::vector<double>> series;  // per series variable, one value per window
  std::vector<AdvertiserRow> advertisers;
  double budget = 0;  // USD: the advertisers' daily budgets summed over the days the run started
  LatencyRecorder latency;
  std::vector<ImpressionRecord> impressions;
  CandidateLog candidates;
  std::vector<std::vector<TargetRecord>> targets;  // per off-policy target
  ModelCapture models;
  std::vector<ExperimentCapture> experiments;  // in the spec's order
};

// The /series variables of a cell: the metrics marked in_series, then one "drift_<target>"
// variable per drift target (the offset in force at the end of each window).
std::vector<SeriesVariable> series_variables(const WorldSpec& spec);

// Copies a finished world's totals, series (in series_variables order), advertisers and
// experiments, and moves its off-policy logs out (the world's are left empty).
void capture_world(World& world, const WorldSpec& spec, FinishedReplication& result);

// Copies the experiments' snapshots of a finished world.
std::vector<ExperimentCapture> capture_experiments(const World& world);

}  // namespace marketsim
