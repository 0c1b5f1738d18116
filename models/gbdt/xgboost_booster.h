// XgboostBooster: gradient-boosted trees for a binary label (RAII over XGBoost's C API).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace marketsim {

// Hyperparameters of XgboostBooster; XGBoost's own name in brackets where it differs. The
// constructor checks the bounds (std::invalid_argument).
struct BoosterParams {
  int rounds = 50;                // trees added by each fit(), >= 1
  int max_depth = 6;              // depth of each tree, >= 1
  double learning_rate = 0.3;     // [eta] shrinkage of each tree's leaf values, in (0, 1]
  double lambda = 1.0;            // L2 penalty on leaf values, >= 0
  double min_child_weight = 1.0;  // least hessian sum in a child (a row adds w p (1 - p)), >= 0
  double subsample = 1.0;         // fraction of rows each tree is grown on, in (0, 1]
  int max_bin = 256;              // histogram bins per numeric feature, >= 2
  std::uint64_t seed = 0;         // row sampling; handed to XGBoost as the int64 with these bits
};

// P(label = 1 | x) as boosted regression trees (objective binary:logistic, tree_method hist),
// trained in batches and used as an interpretable baseline click model. Rows are dense float
// vectors of a fixed number of features, row-major; NaN marks a missing value, which each split
// sends its learned default way.
//
// Categorical features use XGBoost's native categorical splits: a split sends a learned set of
// codes one way and every other code the other way, so one split can isolate any subset of
// categories. Their values must be integral codes in [0, 2^24) or NaN (fit() checks; predict()
// trusts the caller). predict() treats a code never seen in training as one that no split chose.
//
// Deterministic: XGBoost runs on one thread (nthread = 1) and reseeds its thread-local random
// engine from (seed, round index) before every round, so fits on the same data and parameters give
// bit-identical models whatever other boosters did on the thread before.
//
// Not safe for concurrent use, not even two predict() calls: predict() reuses one scratch proxy
// matrix. Distinct boosters are independent: each owns its handles, and XGBoost keeps its random
// engine and last error per thread, so boosters trained on several threads at once give the same
// models as when trained one after another.
class XgboostBooster {
 public:
  // A booster for rows of `feature_count` (>= 1) features, of which the columns listed in
  // `categorical` (each < feature_count, no repeats, any order) hold category codes and the rest
  // numbers. Untrained until fit(). Throws std::invalid_argument on bad arguments or params.
  XgboostBooster(std::size_t feature_count, std::span<const std::size_t> categorical,
                 BoosterParams params);
  ~XgboostBooster();

  // Move-only: the booster owns its XGBoost handles. A moved-from booster may only be destroyed
  // or assigned to.
  XgboostBooster(XgboostBooster&& other) noexcept;
  XgboostBooster& operator=(XgboostBooster&& other) noexcept;

  // Trains params.rounds trees on `row_count` rows (`rows`: row_count x feature_count, row-major)
  // with `labels` in [0, 1] and per-row `weights` (>= 0; empty means all 1). With `warm_start` the
  // new trees are added to the current model (boosting continues from its predictions on these
  // rows); otherwise, or when untrained, training starts from scratch. Throws
  // std::invalid_argument, leaving the model as it was, when a size is wrong, row_count is 0 or a
  // categorical value is not a valid code; throws std::runtime_error carrying XGBoost's message
  // when XGBoost fails (e.g. a label outside [0, 1]), leaving the booster untrained.
  void fit(std::span<const float> rows, std::size_t row_count, std::span<const float> labels,
           std::span<const float> weights, bool warm_start);

  // True once fit() has succeeded, until reset().
  bool trained() const { return booster_ != nullptr; }

  // Trees in the model: params.rounds per fit() since the last from-scratch fit; 0 if untrained.
  int boosted_rounds() const;

  // Writes P(label = 1) of each of `row_count` rows (`rows`: row_count x feature_count, row-major)
  // to `out` (row_count values). Computed in float by XGBoost. Throws std::logic_error when
  // untrained, std::invalid_argument on a size mismatch.
  void predict(std::span<const float> rows, std::size_t row_count, std::span<double> out) const;

  // Total loss reduction (XGBoost's "total_gain") of the splits on each feature, in feature order;
  // 0 for a feature no split uses, all 0 when untrained.
  std::vector<double> importance_gain() const;

  // Number of splits on each feature (XGBoost's "weight"), in feature order; 0 for unused
  // features, all 0 when untrained.
  std::vector<double> importance_splits() const;

  // Drops the model: trained() is false until the next fit().
  void reset() { booster_.reset(); }

  std::size_t feature_count() const { return feature_count_; }

 private:
  // Deleters of XGBoost's opaque handles (BoosterHandle, DMatrixHandle are void*).
  struct FreeBooster {
    void operator()(void* handle) const noexcept;
  };
  struct FreeMatrix {
    void operator()(void* handle) const noexcept;
  };
  using BoosterPtr = std::unique_ptr<void, FreeBooster>;
  using MatrixPtr = std::unique_ptr<void, FreeMatrix>;

  // Throws std::invalid_argument unless fit()'s arguments have the right sizes and codes.
  void check_training_input(std::span<const float> rows, std::size_t row_count,
                            std::span<const float> labels, std::span<const float> weights) const;
  // The training matrix of one fit(): rows, labels, weights and feature types.
  MatrixPtr training_matrix(std::span<const float> rows, std::size_t row_count,
                            std::span<const float> labels, std::span<const float> weights) const;
  // A new untrained booster with params_ set, whose feature count comes from `matrix`.
  BoosterPtr new_booster(void* matrix) const;
  // The importance of each feature under XGBoost's `importance_type`.
  std::vector<double> importance(const char* importance_type) const;

  std::size_t feature_count_;
  std::vector<bool> categorical_;  // by column
  BoosterParams params_;
  BoosterPtr booster_;  // null when untrained
  MatrixPtr proxy_;     // predict()'s scratch proxy matrix (XGProxyDMatrixCreate)
};

}  // namespace marketsim
