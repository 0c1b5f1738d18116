// ModelMonitor: what the models saw at serving and in training, per window, for drift monitoring.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "models/features/field.h"
#include "sim/core/sim_time.h"
#include "sim/core/window_index.h"
#include "sim/world/model_recorder.h"

namespace marketsim {

// Histogram bins per monitored field (values, or a hash of larger values, modulo this) and on the
// logit of predictions.
inline constexpr std::size_t kFieldBins = 64;
inline constexpr std::size_t kPredictionBins = 40;
inline constexpr double kPredictionLogitMin = -8;  // predictions below fall in the first bin
inline constexpr double kPredictionLogitMax = 2;   // and above in the last

// The fields a monitor watches: every field but the user id (too many values to histogram).
std::span<const Field> monitored_fields();

// The monitor bin of a prediction: equal-width bins of its logit on [kPredictionLogitMin,
// kPredictionLogitMax], clamped.
std::size_t prediction_bin(double prediction);

// Per evaluated model (ctr, cvr) and recording window, the production monitor's raw material:
//   serving   histograms of the monitored fields of what was shown (the features as served, so
//             train/serve skew shows) and of the served predictions;
//   training  histograms of the monitored fields of the matured examples the model learned that
//             carry its task's label (the features as logged; downsampled examples weighted back
//             to the population), and the served predictions of matured labels against the
//             labels (the calibration a team can see once labels mature).
// The statistics (population stability index, Kolmogorov-Smirnov, alerts) are computed from these
// windows after the run (sim/runner/monitor_figures), each against a reference of past windows.
class ModelMonitor {
 public:
  ModelMonitor(SimTime width, SimTime horizon);

  void serve(EvaluatedModel model, SimTime time, const RawFeatures& served, double prediction);
  // An example the model learned, with the weight that undoes downsampling.
  void train(EvaluatedModel model, SimTime time, const RawFeatures& logged, double weight);
  // A matured label of the model's task and the prediction served for its impression.
  void mature(EvaluatedModel model, SimTime time, bool label, double served_prediction);

  std::size_t window_count() const { return windows_; }
  // kFieldBins counts per monitored field, field-major.
  std::span<const double> serving_fields(EvaluatedModel model, std::size_t w) const;
  std::span<const double> training_fields(EvaluatedModel model, std::size_t w) const;
  std::span<const double> serving_predictions(EvaluatedModel model, std::size_t w) const;
  // Sums over the labels matured in window w: count, positives, served predictions.
  std::array<double, 3> matured(EvaluatedModel model, std::size_t w) const;

 private:
  struct Model {
    std::vector<double> serving_fields;   // window x field x bin
    std::vector<double> training_fields;  // window x field x bin
    std::vector<double> predictions;      // window x bin
    std::vector<std::array<double, 3>> matured;
  };

  static void add_fields(std::vector<double>& histograms, std::size_t w, const RawFeatures& raw,
                         double weight);

  WindowIndex window_;
  std::size_t windows_;
  std::array<Model, kEvaluatedModels> models_;
};

}  // namespace marketsim
