#include "sim/world/model_recorder.h"

namespace marketsim {

const char* prefix_of(EvaluatedModel model) {
  return model == EvaluatedModel::kCtr ? "ctr" : "cvr";
}

ModelRecorder::ModelRecorder(SimTime width, SimTime horizon, double reliability_upper)
    : window_(width), reliability_upper_(reliability_upper) {
  const auto windows = static_cast<std::size_t>((horizon + width - 1) / width);
  for (auto& model : windows_) model.assign(windows, PredictionMetrics(reliability_upper));
}

PredictionMetrics ModelRecorder::total(EvaluatedModel model) const {
  PredictionMetrics all(reliability_upper_);
  for (const PredictionMetrics& w : windows_[static_cast<std::size_t>(model)]) all.merge(w);
  return all;
}

}  // namespace marketsim
