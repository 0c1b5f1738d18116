// BetaCtr: per-offer Beta-Bernoulli posterior mean click-through rate.
#pragma once

#include <vector>

#include "models/predictor.h"

namespace marketsim {

// Predicts each offer's probability of its task as the posterior mean
// (alpha + positives) / (alpha + beta + examples) of a Beta(alpha, beta) prior updated with that
// offer's logged labels (an example of sample weight w counts w times), ignoring context and slot.
// The simplest learned ranker; its position-confounded estimates are part of what a study of
// feedback loops looks at.
class BetaCtr final : public Predictor {
 public:
  BetaCtr(double prior_alpha, double prior_beta, const PredictorContext& context);

  bool has_posterior() const override { return true; }

 private:
  void do_predict(const RequestFeatures& request, std::span<const std::uint32_t> offers, int slot,
                  std::span<double> out) const override;
  void do_train(std::span<const Example> batch) override;
  void do_reset() override;
  void do_sample(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                 RngStream& rng, std::span<double> out) const override;
  void do_evidence(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                   std::span<double> out) const override;

  double alpha_;
  double beta_;
  std::vector<double> clicks_;
  std::vector<double> impressions_;
  std::vector<double> mean_;  // cached posterior means
};

// Adds "beta" to the registry.
void register_beta_ctr(PredictorRegistry& registry);

}  // namespace marketsim
