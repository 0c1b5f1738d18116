#include "models/ftrl.h"

#include <cmath>

#include "models/sigmoid.h"

namespace marketsim {
namespace {

// CPU per prediction beyond the Beta model's, its training included (resource estimate): ranker
// ftrl on bench/reference.toml costs 3.06 us more per transaction than beta (1 replication, 1.13
// million transactions, 2-core development machine), over ~51.5 predictions per transaction
// (48.5 candidates and 3 shown slots).
constexpr double kCpuSecondsPerPrediction = 59e-9;

}  // namespace

FtrlLogistic::FtrlLogistic(const Params& params, const PredictorContext& context)
    : FeatureModel(context),
      params_(params),
      z_(hasher().bucket_count() + std::size_t{1}, 0.0),
      n_(hasher().bucket_count() + std::size_t{1}, 0.0),
      w_(hasher().bucket_count() + std::size_t{1}, 0.0) {
  index_.reserve(static_cast<std::size_t>(hasher().width()) + 1);
  count_.reserve(index_.capacity());
}

double FtrlLogistic::weight_of(std::size_t i) const {
  const double z = z_[i];
  if (std::abs(z) <= params_.l1) return 0.0;
  const double sign = z < 0 ? -1.0 : 1.0;
  return -(z - sign * params_.l1) /
         ((params_.beta + std::sqrt(n_[i])) / params_.alpha + params_.l2);
}

int FtrlLogistic::active(const FeatureBatch& batch, Eigen::Index j) const {
  index_.clear();
  count_.clear();
  const auto add = [&](std::uint32_t i) {
    for (std::size_t k = 0; k < index_.size(); ++k)
      if (index_[k] == i) {
        count_[k] += 1.0;
        return;
      }
    index_.push_back(i);
    count_.push_back(1.0);
  };
  for (Eigen::Index c = 0; c < batch.buckets.rows(); ++c) add(batch.buckets(c, j));
  add(hasher().bucket_count());
  return static_cast<int>(index_.size());
}

void FtrlLogistic::do_score(const FeatureBatch& batch, std::span<double> out) const {
  for (Eigen::Index j = 0; j < batch.size(); ++j) {
    double logit = w_[hasher().bucket_count()];
    for (Eigen::Index c = 0; c < batch.buckets.rows(); ++c) logit += w_[batch.buckets(c, j)];
    out[static_cast<std::size_t>(j)] = sigmoid(logit);
  }
}

void FtrlLogistic::do_update(const FeatureBatch& batch, std::span<const Example> examples) {
  for (Eigen::Index j = 0; j < batch.size(); ++j) {
    const Example& e = examples[static_cast<std::size_t>(j)];
    const int n = active(batch, j);
    double logit = 0;
    for (int k = 0; k < n; ++k) logit += w_[index_[k]] * count_[k];
    const double residual = e.weight * (sigmoid(logit) - (e.label(task()) ? 1.0 : 0.0));
    for (int k = 0; k < n; ++k) {
      const std::uint32_t i = index_[k];
      const double g = residual * count_[k];
      const double sigma = (std::sqrt(n_[i] + g * g) - std::sqrt(n_[i])) / params_.alpha;
      z_[i] += g - sigma * w_[i];
      n_[i] += g * g;
      w_[i] = weight_of(i);
    }
    ++updates_;
  }
}

void FtrlLogistic::do_reset_weights() {
  std::fill(z_.begin(), z_.end(), 0.0);
  std::fill(n_.begin(), n_.end(), 0.0);
  std::fill(w_.begin(), w_.end(), 0.0);
  updates_ = 0;
}

double FtrlLogistic::state_bytes(const FeatureSpec& features) {
  return 3 * sizeof(double) * (std::ldexp(1.0, features.hash_bits) + 1);
}

void register_ftrl(PredictorRegistry& registry) {
  registry.add(
      {"ftrl",
       "logistic regression on the role's hashed features and crosses, trained online by "
       "FTRL-Proximal with L1/L2 (McMahan et al. 2013)",
       {ParamSpec::real("alpha", 0.1, 1e-6, 1e3, "learning rate scale"),
        ParamSpec::real("beta", 1.0, 0, 1e3, "learning rate smoothing"),
        ParamSpec::real("l1", 0.5, 0, 1e3, "L1 regularisation (sparsity)"),
        ParamSpec::real("l2", 1.0, 0, 1e3, "L2 regularisation")}},
      [](const ParamValues& p, const PredictorContext& context) {
        return std::make_unique<FtrlLogistic>(
            FtrlLogistic::Params{p.get_real("alpha"), p.get_real("beta"), p.get_real("l1"),
                                 p.get_real("l2")},
            context);
      },
      [](const ParamValues&, const PredictorContext& context) {
        return Footprint{FtrlLogistic::state_bytes(context.features), 0, kCpuSecondsPerPrediction};
      });
}

}  // namespace marketsim
