// XgboostBooster: handles, parameters, training, in-place prediction and importance via the C API.
#include "models/gbdt/xgboost_booster.h"

#include <xgboost/c_api.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace marketsim {

namespace {

static_assert(std::endian::native == std::endian::little, "predict() declares rows as \"<f4\"");

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

// XGBoost rejects categorical codes at or above 2^24 (they must be exact in a float).
constexpr float kCategoryLimit = 16777216.0f;

// In-place prediction of probabilities over all trees; NaN marks a missing value.
constexpr const char* kPredictConfig =
    R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
    R"("strict_shape": false, "cache_id": 0, "missing": NaN})";

// Throws std::runtime_error with XGBoost's last error, without the stack trace it appends, when a
// C API call returned nonzero.
void check(int status) {
  if (status == 0) return;
  std::string_view message = XGBGetLastError();
  message = message.substr(0, message.find("\nStack trace:"));
  throw std::runtime_error("xgboost: " + std::string(message));
}

// The shortest decimal text that reads back as `value`.
template <typename Number>
std::string number(Number value) {
  char buffer[32];
  return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
}

void check_params(const BoosterParams& p) {
  const auto require = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(std::string("xgboost_booster: ") + what);
  };
  require(p.rounds >= 1, "rounds must be >= 1");
  require(p.max_depth >= 1, "max_depth must be >= 1");
  require(p.learning_rate > 0.0 && p.learning_rate <= 1.0, "learning_rate must be in (0, 1]");
  require(p.lambda >= 0.0, "lambda must be >= 0");
  require(p.min_child_weight >= 0.0, "min_child_weight must be >= 0");
  require(p.subsample > 0.0 && p.subsample <= 1.0, "subsample must be in (0, 1]");
  require(p.max_bin >= 2, "max_bin must be >= 2");
}

// XGBoost's parameters for `p`. seed_per_iteration reseeds XGBoost's thread-local engine from
// (seed, round index) every round, so no other booster's use of the thread changes the draws.
std::vector<std::pair<const char*, std::string>> xgboost_params(const BoosterParams& p) {
  return {{"objective", "binary:logistic"},
          {"tree_method", "hist"},
          {"nthread", "1"},
          {"verbosity", "0"},
          {"seed", number(static_cast<std::int64_t>(p.seed))},
          {"seed_per_iteration", "1"},
          {"max_depth", number(p.max_depth)},
          {"eta", number(p.learning_rate)},
          {"lambda", number(p.lambda)},
          {"min_child_weight", number(p.min_child_weight)},
          {"subsample", number(p.subsample)},
          {"max_bin", number(p.max_bin)}};
}

std::vector<bool> categorical_mask(std::size_t feature_count,
                                   std::span<const std::size_t> categorical) {
  if (feature_count == 0)
    throw std::invalid_argument("xgboost_booster: feature_count must be >= 1");
  std::vector<bool> mask(feature_count, false);
  for (std::size_t column : categorical) {
    if (column >= feature_count || mask[column])
      throw std::invalid_argument("xgboost_booster: categorical column " + std::to_string(column) +
                                  " is out of range or repeated");
    mask[column] = true;
  }
  return mask;
}

// The index of a feature named "f<index>", XGBoost's name for an unnamed feature.
std::size_t feature_index(std::string_view name, std::size_t feature_count) {
  std::size_t index = feature_count;
  if (name.starts_with('f')) {
    const char* end = name.data() + name.size();
    const auto [stop, error] = std::from_chars(name.data() + 1, end, index);
    if (error != std::errc{} || stop != end) index = feature_count;
  }
  if (index >= feature_count)
    throw std::runtime_error("xgboost: unexpected feature name in importance: " +
                             std::string(name));
  return index;
}

}  // namespace

void XgboostBooster::FreeBooster::operator()(void* handle) const noexcept { XGBoosterFree(handle); }

void XgboostBooster::FreeMatrix::operator()(void* handle) const noexcept { XGDMatrixFree(handle); }

XgboostBooster::XgboostBooster(std::size_t feature_count, std::span<const std::size_t> categorical,
                               BoosterParams params)
    : feature_count_(feature_count),
      categorical_(categorical_mask(feature_count, categorical)),
      params_(params) {
  check_params(params_);
  void* proxy = nullptr;
  check(XGProxyDMatrixCreate(&proxy));
  proxy_.reset(proxy);
}

XgboostBooster::~XgboostBooster() = default;
XgboostBooster::XgboostBooster(XgboostBooster&& other) noexcept = default;
XgboostBooster& XgboostBooster::operator=(XgboostBooster&& other) noexcept = default;

void XgboostBooster::check_training_input(std::span<const float> rows, std::size_t row_count,
                                          std::span<const float> labels,
                                          std::span<const float> weights) const {
  if (row_count == 0) throw std::invalid_argument("xgboost_booster: fit() needs at least one row");
  if (rows.size() != row_count * feature_count_ || labels.size() != row_count ||
      (!weights.empty() && weights.size() != row_count))
    throw std::invalid_argument(
        "xgboost_booster: fit() needs row_count x feature_count values, row_count labels and no "
        "or row_count weights");
  for (std::size_t row = 0; row < row_count; ++row)
    for (std::size_t column = 0; column < feature_count_; ++column) {
      const float code = rows[row * feature_count_ + column];
      if (categorical_[column] && !std::isnan(code) &&
          !(code >= 0.0f && code < kCategoryLimit && code == std::floor(code)))
        throw std::invalid_argument("xgboost_booster: row " + std::to_string(row) + ", column " +
                                    std::to_string(column) + ": categorical value " + number(code) +
                                    " is not a code in [0, 2^24)");
    }
}

XgboostBooster::MatrixPtr XgboostBooster::training_matrix(std::span<const float> rows,
                                                          std::size_t row_count,
                                                          std::span<const float> labels,
                                                          std::span<const float> weights) const {
  void* handle = nullptr;
  check(XGDMatrixCreateFromMat_omp(rows.data(), row_count, feature_count_, kMissing, &handle, 1));
  MatrixPtr matrix(handle);
  check(XGDMatrixSetFloatInfo(handle, "label", labels.data(), row_count));
  if (!weights.empty()) check(XGDMatrixSetFloatInfo(handle, "weight", weights.data(), row_count));
  std::vector<const char*> types(feature_count_);
  for (std::size_t column = 0; column < feature_count_; ++column)
    types[column] = categorical_[column] ? "c" : "q";
  check(XGDMatrixSetStrFeatureInfo(handle, "feature_type", types.data(), feature_count_));
  return matrix;
}

XgboostBooster::BoosterPtr XgboostBooster::new_booster(void* matrix) const {
  void* handle = nullptr;
  check(XGBoosterCreate(&matrix, 1, &handle));
  BoosterPtr booster(handle);
  for (const auto& [name, value] : xgboost_params(params_))
    check(XGBoosterSetParam(handle, name, value.c_str()));
  return booster;
}

void XgboostBooster::fit(std::span<const float> rows, std::size_t row_count,
                         std::span<const float> labels, std::span<const float> weights,
                         bool warm_start) {
  check_training_input(rows, row_count, labels, weights);
  try {
    const MatrixPtr matrix = training_matrix(rows, row_count, labels, weights);
    if (!warm_start || !booster_) booster_ = new_booster(matrix.get());
    const int first_round = boosted_rounds();
    for (int round = 0; round < params_.rounds; ++round)
      check(XGBoosterUpdateOneIter(booster_.get(), first_round + round, matrix.get()));
  } catch (...) {
    booster_.reset();
    throw;
  }
}

int XgboostBooster::boosted_rounds() const {
  if (!booster_) return 0;
  int rounds = 0;
  check(XGBoosterBoostedRounds(booster_.get(), &rounds));
  return rounds;
}

void XgboostBooster::predict(std::span<const float> rows, std::size_t row_count,
                             std::span<double> out) const {
  if (!booster_) throw std::logic_error("xgboost_booster: predict() before fit()");
  if (rows.size() != row_count * feature_count_ || out.size() != row_count)
    throw std::invalid_argument(
        "xgboost_booster: predict() needs row_count x feature_count values and row_count outputs");
  if (row_count == 0) return;
  // The rows as a read-only __array_interface__ (version 3), read in place by XGBoost.
  char interface[160];
  std::snprintf(interface, sizeof interface,
                R"({"data": [%ju, true], "shape": [%zu, %zu], "typestr": "<f4", "version": 3})",
                static_cast<std::uintmax_t>(reinterpret_cast<std::uintptr_t>(rows.data())),
                row_count, feature_count_);
  const bst_ulong* shape = nullptr;
  bst_ulong dimensions = 0;
  const float* result = nullptr;
  check(XGBoosterPredictFromDense(booster_.get(), interface, kPredictConfig, proxy_.get(), &shape,
                                  &dimensions, &result));
  if (dimensions != 1 || shape[0] != row_count)
    throw std::runtime_error("xgboost: prediction has an unexpected shape");
  std::copy(result, result + row_count, out.begin());
}

std::vector<double> XgboostBooster::importance(const char* importance_type) const {
  std::vector<double> scores(feature_count_, 0.0);
  if (!booster_) return scores;
  const std::string config = std::string(R"({"importance_type": ")") + importance_type + "\"}";
  bst_ulong named = 0, dimensions = 0;
  const char** names = nullptr;
  const bst_ulong* shape = nullptr;
  const float* values = nullptr;
  check(XGBoosterFeatureScore(booster_.get(), config.c_str(), &named, &names, &dimensions, &shape,
                              &values));
  for (bst_ulong i = 0; i < named; ++i) scores[feature_index(names[i], feature_count_)] = values[i];
  return scores;
}

std::vector<double> XgboostBooster::importance_gain() const { return importance("total_gain"); }

std::vector<double> XgboostBooster::importance_splits() const { return importance("weight"); }

}  // namespace marketsim
