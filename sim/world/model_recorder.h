// ModelRecorder: how well the click and conversion models predicted what was shown, per window.
#pragma once

#include <array>
#include <vector>

#include "analysis/metrics/prediction_metrics.h"
#include "sim/core/sim_time.h"
#include "sim/core/window_index.h"

namespace marketsim {

// The model roles whose predictions are evaluated: the ranker's click model ("ctr", on every
// shown offer) and the conversion model ("cvr", on every clicked one).
enum class EvaluatedModel : std::size_t { kCtr, kCvr };
inline constexpr std::size_t kEvaluatedModels = 2;

// The variable prefix of an evaluated model: "ctr" or "cvr".
const char* prefix_of(EvaluatedModel model);

// Accumulates, for each evaluated model and recording window, the served prediction of each shown
// (clicked) offer at the slot it was shown in, its eventual label and its true probability, and
// the same over the whole replication. Windows are those of the Recorder.
class ModelRecorder {
 public:
  ModelRecorder(SimTime width, SimTime horizon, double reliability_upper);

  void add(EvaluatedModel model, SimTime time, double prediction, bool label,
           double true_probability) {
    const auto m = static_cast<std::size_t>(model);
    windows_[m][window_.of(time)].add(prediction, label, true_probability);
  }

  std::size_t window_count() const { return windows_.front().size(); }
  const PredictionMetrics& window(EvaluatedModel model, std::size_t w) const {
    return windows_[static_cast<std::size_t>(model)][w];
  }
  // Every window merged.
  PredictionMetrics total(EvaluatedModel model) const;

 private:
  WindowIndex window_;
  double reliability_upper_;
  std::array<std::vector<PredictionMetrics>, kEvaluatedModels> windows_;
};

}  // namespace marketsim
