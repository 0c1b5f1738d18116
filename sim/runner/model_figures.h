// What the runner keeps of a World's model evaluation, and how it becomes /models/<cell>.
#pragma once

#include <cstddef>
#include <vector>

#include "analysis/metrics/prediction_metrics.h"
#include "analysis/output/results_file.h"
#include "models/training/model_stage.h"
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
};

// Copies a finished world's model figures.
ModelCapture capture_models(const World& world);

// The /models/<cell> group of one cell: dimensions replication, time (window end, hours) and bin,
// variables <prefix>_<figure> (replication, time) and <prefix>_<bin figure> (replication, time,
// bin), plus bin_lower/bin_upper. `by_replication[r]` is null for a replication that did not
// finish (its rows stay NaN).
ArrayGroup model_arrays(const std::vector<const ModelCapture*>& by_replication,
                        const std::vector<double>& window_end, double reliability_upper);

// The /summary columns of the model figures over the whole run and the stages' counts, one row
// per capture in `rows`' order.
std::vector<Column> model_summary_columns(const std::vector<const ModelCapture*>& rows);

}  // namespace marketsim
