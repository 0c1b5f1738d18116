// FtrlLogistic: logistic regression on the feature pipeline, trained by FTRL-Proximal.
#pragma once

#include <vector>

#include "models/feature_model.h"

namespace marketsim {

// P(task) = sigmoid(b + sum_c w[bucket_c]) over the hashed columns of the role's features, with
// the per-coordinate FTRL-Proximal update of McMahan et al. 2013 ("Ad click prediction: a view
// from the trenches", Algorithm 1): for each coordinate i with gradient g_i = weight (p - y) x_i,
//   sigma_i = (sqrt(n_i + g_i^2) - sqrt(n_i)) / alpha,  z_i += g_i - sigma_i w_i,  n_i += g_i^2,
//   w_i = 0 if |z_i| <= l1, else -(z_i - sign(z_i) l1) / ((beta + sqrt(n_i)) / alpha + l2).
// The bias b is one more coordinate, never hashed. Columns that hash to the same bucket add up
// (x_i = 2). A mini-batch is processed example by example, in order (FTRL is per example).
// Single-task: learns task()'s label. Not ready before its first update.
class FtrlLogistic final : public FeatureModel {
 public:
  struct Params {
    double alpha = 0.1;  // per-coordinate learning rate scale
    double beta = 1.0;   // learning rate smoothing
    double l1 = 0.5;
    double l2 = 1.0;
  };

  FtrlLogistic(const Params& params, const PredictorContext& context);

  // Bytes of the per-bucket state (z, n and w) over the buckets of `features`: what the model's
  // memory grows with.
  static double state_bytes(const FeatureSpec& features);

  bool ready() const override { return updates_ > 0; }

  // The current weight of hashed bucket `bucket`; bucket_count() is the bias.
  double weight(std::uint32_t bucket) const { return w_[bucket]; }

 private:
  // w_i from z_i and n_i (cached in w_ whenever they change).
  double weight_of(std::size_t i) const;
  // The distinct coordinates of column j (bias last) with their counts x_i; returns how many.
  int active(const FeatureBatch& batch, Eigen::Index j) const;

  void do_score(const FeatureBatch& batch, std::span<double> out) const override;
  void do_update(const FeatureBatch& batch, std::span<const Example> examples) override;
  void do_reset_weights() override;

  Params params_;
  std::vector<double> z_;
  std::vector<double> n_;
  std::vector<double> w_;
  std::uint64_t updates_ = 0;
  mutable std::vector<std::uint32_t> index_;  // scratch of active()
  mutable std::vector<double> count_;
};

// Adds "ftrl" to the registry.
void register_ftrl(PredictorRegistry& registry);

}  // namespace marketsim
