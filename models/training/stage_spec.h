// ModelStageSpec: how one model role trains, and what is done to its output before serving.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/param.h"

namespace marketsim {

// Section recommender.<role>.training: when the model learns from matured labels, and on what.
struct TrainingSpec {
  enum class Schedule { kOnline, kBatch };
  enum class Correction { kNone, kRecalibrate, kWeight };

  Schedule schedule = Schedule::kOnline;
  std::int64_t batch_size = 1;  // online: examples per update; batch: mini-batch of each step
  double retrain_every_h = 24;  // batch: time between retrains (the first after one interval)
  double warm_up_h = 0;         // batch: learn online until then, as a model trained on history
  double window_h = 24;         // batch: the sliding window of examples a retrain fits
  std::int64_t max_window_examples = 2000000;        // batch: the newest this many are kept at most
  std::int64_t epochs = 1;                           // batch: passes over the window per retrain
  bool warm_start = true;                            // batch: continue from the current weights
  double negative_rate = 1;                          // w: share of task negatives kept
  Correction correction = Correction::kRecalibrate;  // how downsampling is undone
  double cold_start_rate = 0.05;                     // served until the model has learned anything

  static std::vector<ParamSpec> declare();
  static TrainingSpec from(const ParamValues& values);
};

// Section recommender.<role>.calibration: the calibrator fitted to the model's recent output.
struct CalibrationSpec {
  std::string method = "none";  // a calibrator_registry() name
  double window_h = 24;         // pairs of (prediction, label) matured in this window
  double refit_every_h = 1;
  std::int64_t min_examples = 1000;  // refits need this many pairs (and both labels)

  static std::vector<ParamSpec> declare();
  static CalibrationSpec from(const ParamValues& values);
};

// Section recommender.<role>.miscalibration: an injected distortion of the model's output,
// logit(q) = logit(p) / temperature + ln(odds_multiplier), so a scenario can ask what a given
// over- or under-prediction costs. Identity by default.
struct MiscalibrationSpec {
  double odds_multiplier = 1;
  double temperature = 1;

  static std::vector<ParamSpec> declare();
  static MiscalibrationSpec from(const ParamValues& values);
};

// Everything around the model of one role (keys relative to recommender.<role>).
struct ModelStageSpec {
  TrainingSpec training;
  CalibrationSpec calibration;
  MiscalibrationSpec miscalibration;

  static std::vector<ParamSpec> declare();  // "training.*", "calibration.*", "miscalibration.*"
  static ModelStageSpec from(const ParamValues& values);
};

}  // namespace marketsim
