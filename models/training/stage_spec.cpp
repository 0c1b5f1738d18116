#include "models/training/stage_spec.h"

#include "models/calibration/calibrator.h"

namespace marketsim {
std::vector<ParamSpec> TrainingSpec::declare() {
  return {
      ParamSpec::choice("schedule", "online", {"online", "batch"},
                        "online: update on mini-batches as labels mature; batch: scheduled "
                        "retrains on a sliding window of matured examples"),
      ParamSpec::integer("batch_size", 1, 1, 1e6,
                         "examples per update (online) or per optimizer step (batch)"),
      ParamSpec::real("retrain_every_h", 24, 1e-3, 1e5, "batch: time between retrains", "h"),
      ParamSpec::real("warm_up_h", 0, 0, 1e5,
                      "batch: learn online (as under the online schedule) until this time, like a "
                      "model trained on history; the first retrain comes one interval after it",
                      "h"),
      ParamSpec::real("window_h", 24, 1e-3, 1e5, "batch: sliding window a retrain fits", "h"),
      ParamSpec::integer("max_window_examples", 2000000, 1, 1e9,
                         "batch: the window keeps at most the newest this many examples"),
      ParamSpec::integer("epochs", 1, 1, 1000, "batch: passes over the window per retrain"),
      ParamSpec::boolean("warm_start", true,
                         "batch: continue from the current weights (false: retrain from scratch); "
                         "with window_h > retrain_every_h a warm start refits the overlap again"),
      ParamSpec::real("negative_rate", 1, 1e-4, 1,
                      "w: share of the role's negatives (its task's label 0) kept for training "
                      "(negative downsampling)"),
      ParamSpec::choice("correction", "recalibrate", {"none", "recalibrate", "weight"},
                        "undoing downsampling: none, recalibrate (serve p / (p + (1 - p) / w)) or "
                        "weight (kept negatives weigh 1 / w)"),
      ParamSpec::real("cold_start_rate", 0.05, 1e-6, 1,
                      "probability served before the model has learned anything"),
  };
}

TrainingSpec TrainingSpec::from(const ParamValues& values) {
  TrainingSpec spec;
  spec.schedule = values.get_string("schedule") == "batch" ? Schedule::kBatch : Schedule::kOnline;
  spec.batch_size = values.get_int("batch_size");
  spec.retrain_every_h = values.get_real("retrain_every_h");
  spec.warm_up_h = values.get_real("warm_up_h");
  spec.window_h = values.get_real("window_h");
  spec.max_window_examples = values.get_int("max_window_examples");
  spec.epochs = values.get_int("epochs");
  spec.warm_start = values.get_bool("warm_start");
  spec.negative_rate = values.get_real("negative_rate");
  const std::string& correction = values.get_string("correction");
  spec.correction = correction == "none"     ? Correction::kNone
                    : correction == "weight" ? Correction::kWeight
                                             : Correction::kRecalibrate;
  spec.cold_start_rate = values.get_real("cold_start_rate");
  return spec;
}

std::vector<ParamSpec> CalibrationSpec::declare() {
  return {
      ParamSpec::choice("method", "none", calibrator_registry().names(),
                        "the calibrator fitted to the model's recent predictions and labels"),
      ParamSpec::real("window_h", 24, 1e-3, 1e5,
                      "the calibrator fits the (prediction, label) pairs matured in this window",
                      "h"),
      ParamSpec::real("refit_every_h", 1, 1e-3, 1e5, "time between calibrator refits", "h"),
      ParamSpec::integer("min_examples", 1000, 1, 1e9,
                         "a refit needs this many pairs in the window (and both labels)"),
  };
}

CalibrationSpec CalibrationSpec::from(const ParamValues& values) {
  return CalibrationSpec{values.get_string("method"), values.get_real("window_h"),
                         values.get_real("refit_every_h"), values.get_int("min_examples")};
}

std::vector<ParamSpec> MiscalibrationSpec::declare() {
  return {
      ParamSpec::real("odds_multiplier", 1, 1e-3, 1e3,
                      "injected miscalibration: multiplies the odds of every prediction (1.25: "
                      "a 25% over-prediction at small rates)"),
      ParamSpec::real("temperature", 1, 1e-2, 1e2,
                      "injected miscalibration: divides every logit (> 1 flattens predictions "
                      "toward 1/2, < 1 sharpens them)"),
  };
}

MiscalibrationSpec MiscalibrationSpec::from(const ParamValues& values) {
  return MiscalibrationSpec{values.get_real("odds_multiplier"), values.get_real("temperature")};
}

std::vector<ParamSpec> ModelStageSpec::declare() {
  std::vector<ParamSpec> specs;
  append_section(specs, "training", TrainingSpec::declare());
  append_section(specs, "calibration", CalibrationSpec::declare());
  append_section(specs, "miscalibration", MiscalibrationSpec::declare());
  return specs;
}

ModelStageSpec ModelStageSpec::from(const ParamValues& values) {
  return ModelStageSpec{TrainingSpec::from(values.subset("training")),
                        CalibrationSpec::from(values.subset("calibration")),
                        MiscalibrationSpec::from(values.subset("miscalibration"))};
}

}  // namespace marketsim
