#include "sim/runner/model_figures.h"

#include <limits>
#include <string>

#include "sim/world/world.h"

namespace marketsim {
namespace {

constexpr int kBins = PredictionMetrics::kReliabilityBins;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

std::string label_of(EvaluatedModel model) {
  return model == EvaluatedModel::kCtr ? "click model on shown offers"
                                       : "conversion model on clicked offers";
}

const std::vector<ModelFigure>& model_figures() {
  static const std::vector<ModelFigure> figures = {
      {"count", "", "predictions evaluated", [](const PredictionMetrics& m) { return m.count(); }},
      {"auc", "", "ROC AUC against the labels", [](const PredictionMetrics& m) { return m.auc(); }},
      {"log_loss", "", "mean log loss against the labels (nats)",
       [](const PredictionMetrics& m) { return m.log_loss(); }},
      {"normalized_entropy", "", "log loss / entropy of the observed rate",
       [](const PredictionMetrics& m) { return m.normalized_entropy(); }},
      {"mean_predicted", "", "mean served prediction",
       [](const PredictionMetrics& m) { return m.mean_prediction(); }},
      {"observed_rate", "", "observed rate of the labels",
       [](const PredictionMetrics& m) { return m.observed_rate(); }},
      {"mean_true", "", "mean true probability (hidden truth)",
       [](const PredictionMetrics& m) { return m.mean_truth(); }},
      {"calibration_ratio", "", "mean predicted / observed rate",
       [](const PredictionMetrics& m) { return m.calibration_ratio(); }},
      {"ece", "", "expected calibration error against the labels",
       [](const PredictionMetrics& m) { return m.ece(); }},
      {"calibration_ratio_truth", "", "mean predicted / mean true probability",
       [](const PredictionMetrics& m) { return m.calibration_ratio_truth(); }},
      {"ece_truth", "", "expected calibration error against the true probabilities",
       [](const PredictionMetrics& m) { return m.ece_truth(); }},
      {"rmse_truth", "", "root mean squared error against the true probabilities",
       [](const PredictionMetrics& m) { return m.rmse_truth(); }},
  };
  return figures;
}

const std::vector<BinFigure>& bin_figures() {
  static const std::vector<BinFigure> figures = {
      {"bin_count", "predictions in the reliability bin",
       [](const PredictionMetrics& m, int b) { return m.bin_count(b); }},
      {"bin_predicted", "mean prediction in the bin",
       [](const PredictionMetrics& m, int b) { return m.bin_predicted(b); }},
      {"bin_observed", "observed rate in the bin",
       [](const PredictionMetrics& m, int b) { return m.bin_observed(b); }},
      {"bin_true", "mean true probability in the bin (hidden truth)",
       [](const PredictionMetrics& m, int b) { return m.bin_true(b); }},
  };
  return figures;
}

ModelCapture capture_models(const World& world, const WorldSpec& spec) {
  const ModelRecorder& recorder = world.model_recorder();
  const std::size_t windows = recorder.window_count();
  ModelCapture c;
  for (std::size_t m = 0; m < kEvaluatedModels; ++m) {
    const auto model = static_cast<EvaluatedModel>(m);
    std::vector<std::vector<double>> per_figure;
    for (const ModelFigure& f : model_figures()) {
      std::vector<double> values(windows);
      for (std::size_t w = 0; w < windows; ++w) values[w] = f.of(recorder.window(model, w));
      per_figure.push_back(std::move(values));
    }
    c.windows.push_back(std::move(per_figure));
    std::vector<std::vector<double>> per_bin_figure;
    for (const BinFigure& f : bin_figures()) {
      std::vector<double> values(windows * kBins);
      for (std::size_t w = 0; w < windows; ++w)
        for (int b = 0; b < kBins; ++b) values[w * kBins + b] = f.of(recorder.window(model, w), b);
      per_bin_figure.push_back(std::move(values));
    }
    c.bins.push_back(std::move(per_bin_figure));
    const PredictionMetrics total = recorder.total(model);
    std::vector<double> totals;
    for (const ModelFigure& f : model_figures()) totals.push_back(f.of(total));
    c.totals.push_back(std::move(totals));
    const ModelRole role =
        model == EvaluatedModel::kCtr ? ModelRole::kRanker : ModelRole::kConversionModel;
    const ModelStage& stage = world.stage(role);
    c.counts.push_back(stage.counts());
    const TrainingSpec& training = stage.spec().training;
    c.monitors.push_back(monitor_model(world.model_monitor(), model, spec,
                                       training.schedule == TrainingSpec::Schedule::kBatch,
                                       training.window_h, stage.retrain_times()));
    std::vector<std::string> columns;
    std::vector<ColumnImportance> importance;
    if (const FeatureModel* features = stage.feature_model()) {
      columns = features->features().column_names();
      if (const PermutationImportance* p = stage.importance())
        importance.push_back(ColumnImportance{"permutation", p->increase()});
      for (ColumnImportance& i : features->intrinsic_importance()) importance.push_back(i);
    }
    c.columns.push_back(std::move(columns));
    c.importance.push_back(std::move(importance));
  }
  return c;
}

std::vector<Column> model_summary_columns(const std::vector<const ModelCapture*>& rows) {
  std::vector<Column> columns;
  for (std::size_t m = 0; m < kEvaluatedModels; ++m) {
    const auto model = static_cast<EvaluatedModel>(m);
    const std::string prefix = prefix_of(model);
    for (std::size_t f = 0; f < model_figures().size(); ++f) {
      const ModelFigure& figure = model_figures()[f];
      std::vector<double> values;
      for (const ModelCapture* c : rows) values.push_back(c->totals[m][f]);
      columns.push_back(
          Column{prefix + "_" + figure.name,
                 figure.units,
                 std::string(figure.long_name) + ", " + label_of(model) + ", whole run",
                 std::move(values),
                 {}});
    }
    const auto counts = [&](const char* name, const char* long_name, auto field) {
      std::vector<std::int64_t> values;
      for (const ModelCapture* c : rows)
        values.push_back(static_cast<std::int64_t>(c->counts[m].*field));
      columns.push_back(Column{prefix + "_" + name, "", long_name, std::move(values), {}});
    };
    counts("trained_examples", "matured examples the model trained on (after downsampling)",
           &StageCounts::trained);
    counts("retrains", "scheduled batch retrains", &StageCounts::retrains);
    counts("calibrations", "calibrator refits", &StageCounts::calibrations);
    std::vector<double> first_alert;
    for (const ModelCapture* c : rows) {
      const auto& log = c->monitors[m].alert_log;
      first_alert.push_back(log.empty() ? kNaN : log.front().time_h);
    }
    columns.push_back(Column{prefix + "_first_alert_h",
                             "h",
                             "end of the first window with a monitor alert (NaN: none)",
                             std::move(first_alert),
                             {}});
  }
  return columns;
}

}  // namespace marketsim
