// GbdtModel: gradient-boosted trees on the feature pipeline, refit in scheduled batches.
#pragma once

#include <vector>

#include "models/feature_model.h"
#include "models/gbdt/xgboost_booster.h"

namespace marketsim {

// P(task) from boosted trees (XGBoost, binary:logistic) over the role's feature columns, as the
// interpretable baseline: every column is a categorical input with native categorical splits
// (code = the raw field value when below 8192, else a hash of it into [0, 8192); crosses by a
// hash of both values), or a number when `categorical` is false. Learns only in scheduled batch
// retrains (training.schedule = "batch"): a warm start adds `rounds` trees fitted on the new
// window on top of the current ones, a cold start grows `rounds` new trees. Importance: total
// split gain and split count per column. Single-task; not ready before the first retrain.
class GbdtModel final : public FeatureModel {
 public:
  GbdtModel(const BoosterParams& params, bool categorical, const PredictorContext& context);

  bool ready() const override { return booster_.trained(); }
  bool trains_online() const override { return false; }
  std::vector<ColumnImportance> intrinsic_importance() const override;

 private:
  // Writes the booster's input rows for `batch` (row-major, one row per column of the batch).
  void to_rows(const FeatureBatch& batch, std::vector<float>& rows) const;

  void do_score(const FeatureBatch& batch, std::span<double> out) const override;
  void do_update(const FeatureBatch& batch, std::span<const Example> examples) override;
  void do_fit(std::span<const Example> window, const FitOptions& options, RngStream& rng) override;
  void do_reset_weights() override { booster_.reset(); }

  mutable XgboostBooster booster_;
  mutable std::vector<float> rows_;
  FeatureBatch fit_batch_;
  std::vector<float> labels_, weights_;
};

// Adds "gbdt" to the registry.
void register_gbdt(PredictorRegistry& registry);

}  // namespace marketsim
