// What the runner keeps of a World's model evaluation, and how it becomes /models/<cell>.
#pragma once

#include <cstddef>
#include <vector>

#include "analysis/metrics/prediction_metrics.h"
#include "analysis/output/results_file.h"
#include "models/training/model_stage.h"
#include "sim/runner/monitor_figures.h"
#include "sim/world/model_recorder.h"

namespace marketsim {

class World;

// One figure of a model's predictions, per window and over the whole run, e.g. "auc".
struct ModelFigure {
  const char* name;
  const char* units;
  const char* long_name;
  double (*of)(const PredictionMetrics&);
};

// One figure per reliability bin, e.g. "bin_observed".
struct BinFigure {
  const char* name;
  const char* long_name;
  double (*of)(const PredictionMetrics&, int bin);
};

const std::vector<ModelFigure>& model_figures();
const std::vector<BinFigure>& bin_figures();

// What an evaluated model's figures are about, for long names, e.g. "click model on shown offers".
std::string label_of(EvaluatedModel model);

// The model figures of one replication.
struct ModelCapture {
  // [model][figure][window]
  std::vector<std::vector<std::vector<double>>> windows;
  // [model][bin figure][window * kReliabilityBins + bin]
  std::vector<std::vector<std::vector<double>>> bins;
  // [model][figure] over the whole run
  std::vector<std::vector<double>> totals;
  // [model] what its stage did
  std::vector<StageCounts> counts;
  // [model] the monitor's statistics and alerts
  std::vector<MonitorCapture> monitors;
  // [model] importance per feature column: the column names (empty unless the model is on the
  // feature pipeline), then each measure by name ("permutation", and e.g. "gain", "splits")
  std::vector<std::vector<std::string>> columns;
  std::vector<std::vector<ColumnImportance>> importance;
};

// Copies a finished world's model figures (`spec`: the world's own).
ModelCapture capture_models(const World& world, const WorldSpec& spec);

// The /models/<cell> group of one cell: dimensions replication, time (window end, hours), bin and
// field (monitored fields), variables <prefix>_<figure> (replication, time), <prefix>_<bin
// figure> (replication, time, bin), the monitor's <prefix>_psi and _ks (replication, time,
// field), <prefix>_prediction_psi, _prediction_ks, _matured_calibration_ratio and _alerts
// (replication, time), plus bin_lower/bin_upper; and for models on the feature pipeline a
// dimension <prefix>_column (feature columns) with <prefix>_<measure>_importance (replication,
// <prefix>_column). `by_replication[r]` is null for a replication that did not finish (its rows
// stay NaN).
ArrayGroup model_arrays(const std::vector<const ModelCapture*>& by_replication,
                        const std::vector<double>& window_end, double reliability_upper);

// The /summary columns of the model figures over the whole run and the stages' counts, one row
// per capture in `rows`' order.
std::vector<Column> model_summary_columns(const std::vector<const ModelCapture*>& rows);

// The monitor's alerts of `rows` (cell and replication of each row given alongside) as the
// /alerts table.
Table alert_table(const std::vector<const ModelCapture*>& rows,
                  const std::vector<std::int64_t>& cells,
                  const std::vector<std::int64_t>& replications,
                  const std::vector<std::string>& cell_names);

}  // namespace marketsim
