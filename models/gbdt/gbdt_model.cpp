#include "models/gbdt/gbdt_model.h"

#include <cmath>
#include <numeric>
#include <stdexcept>

#include "sim/core/hash.h"

namespace marketsim {
namespace {

constexpr std::uint32_t kCategoryCodes = 8192;

// Costs on one core of the development machine (portable build), measured in the reference world
// (14 columns or 3, depth 6 or 3, 20 or 50 rounds a fit, 50 candidates and 3 slots a request):
// XGBoost's per-call overhead (parsing the call's configuration, allocating its buffers), one
// row's descent through one level of one tree, and a fit's work per row and round: a fixed part
// and a part per column.
constexpr double kCpuSecondsPerCall = 15e-6;
constexpr double kCpuSecondsPerTreeLevel = 10e-9;
constexpr double kCpuSecondsPerFitRow = 57e-9;
constexpr double kCpuSecondsPerFitValue = 23e-9;
// Bytes a fit holds per row and column (the rows, XGBoost's copy, its histogram index and
// gradient buffers: ~48 in peak RSS) and per tree node (the node, its statistics and categories).
constexpr double kBytesPerFitValue = 48;
constexpr double kBytesPerTreeNode = 128;

// The category code of a column value: small values as they are, others hashed below 8192.
float code_of(std::uint32_t value) {
  if (value < kCategoryCodes) return static_cast<float>(value);
  return static_cast<float>(splitmix64(value) % kCategoryCodes);
}

std::vector<std::size_t> all_columns(std::size_t n, bool categorical) {
  std::vector<std::size_t> columns(categorical ? n : 0);
  std::iota(columns.begin(), columns.end(), std::size_t{0});
  return columns;
}

}  // namespace

GbdtModel::GbdtModel(const BoosterParams& params, bool categorical, const PredictorContext& context)
    : FeatureModel(context),
      booster_(context.features.columns.size(),
               all_columns(context.features.columns.size(), categorical), params) {}

void GbdtModel::to_rows(const FeatureBatch& batch, std::vector<float>& rows) const {
  const auto width = batch.values.rows();
  rows.resize(static_cast<std::size_t>(width * batch.size()));
  for (Eigen::Index j = 0; j < batch.size(); ++j)
    for (Eigen::Index c = 0; c < width; ++c)
      rows[static_cast<std::size_t>(j * width + c)] = code_of(batch.values(c, j));
}

void GbdtModel::do_score(const FeatureBatch& batch, std::span<double> out) const {
  to_rows(batch, rows_);
  booster_.predict(rows_, static_cast<std::size_t>(batch.size()), out);
}

void GbdtModel::do_update(const FeatureBatch&, std::span<const Example>) {
  throw std::logic_error("gbdt: learns only in batch retrains (training.schedule = \"batch\")");
}

void GbdtModel::do_fit(std::span<const Example> window, const FitOptions& options, RngStream&) {
  if (!options.warm_start) reset();  // the trees and the evidence counts
  if (window.empty()) return;
  encode(window, fit_batch_);
  to_rows(fit_batch_, rows_);
  labels_.clear();
  weights_.clear();
  for (const Example& e : window) {
    labels_.push_back(e.label(task()) ? 1.0f : 0.0f);
    weights_.push_back(e.weight);
  }
  booster_.fit(rows_, window.size(), labels_, weights_, options.warm_start);
  note_learned(window);
}

std::vector<ColumnImportance> GbdtModel::intrinsic_importance() const {
  return {ColumnImportance{"gain", booster_.importance_gain()},
          ColumnImportance{"splits", booster_.importance_splits()}};
}

void register_gbdt(PredictorRegistry& registry) {
  registry.add(
      {"gbdt",
       "gradient-boosted trees (XGBoost) on the role's feature columns as categories, refit in "
       "scheduled batches (training.schedule = \"batch\"); gain and split-count importance",
       {ParamSpec::integer("rounds", 50, 1, 10000, "trees added by each retrain"),
        ParamSpec::integer("max_depth", 6, 1, 16, "depth of each tree"),
        ParamSpec::real("learning_rate", 0.3, 1e-4, 1, "shrinkage of each tree (eta)"),
        ParamSpec::real("lambda", 1, 0, 1e6, "L2 penalty on leaf values"),
        ParamSpec::real("min_child_weight", 1, 0, 1e6, "least hessian sum in a child"),
        ParamSpec::real("subsample", 1, 1e-3, 1, "fraction of rows each tree is grown on"),
        ParamSpec::integer("max_bin", 256, 2, 65536, "histogram bins per numeric column"),
        ParamSpec::boolean("categorical", true,
                           "native categorical splits on every column (false: codes as numbers)")}},
      [](const ParamValues& p, const PredictorContext& context) {
        BoosterParams params;
        params.rounds = static_cast<int>(p.get_int("rounds"));
        params.max_depth = static_cast<int>(p.get_int("max_depth"));
        params.learning_rate = p.get_real("learning_rate");
        params.lambda = p.get_real("lambda");
        params.min_child_weight = p.get_real("min_child_weight");
        params.subsample = p.get_real("subsample");
        params.max_bin = static_cast<int>(p.get_int("max_bin"));
        params.seed = context.key.seed ^ (context.key.replication << 32) ^ context.stream;
        return std::make_unique<GbdtModel>(params, p.get_bool("categorical"), context);
      },
      [](const ParamValues& p, const PredictorContext& context) {
        const auto rounds = static_cast<double>(p.get_int("rounds"));
        const auto depth = static_cast<double>(p.get_int("max_depth"));
        const auto columns = static_cast<double>(context.features.columns.size());
        Footprint footprint;
        footprint.cpu_seconds_per_call = kCpuSecondsPerCall;
        footprint.cpu_seconds_per_prediction_per_fit = rounds * depth * kCpuSecondsPerTreeLevel;
        footprint.bytes_per_fit = rounds * (std::exp2(depth + 1) - 1) * kBytesPerTreeNode;
        footprint.cpu_seconds_per_fitted_example =
            rounds * (kCpuSecondsPerFitRow + columns * kCpuSecondsPerFitValue);
        footprint.bytes_per_fitted_example = columns * kBytesPerFitValue;
        return footprint;
      });
}

}  // namespace marketsim
