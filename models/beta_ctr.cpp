#include "models/beta_ctr.h"

#include <algorithm>
#include <boost/random/beta_distribution.hpp>

namespace marketsim {

BetaCtr::BetaCtr(double prior_alpha, double prior_beta, const PredictorContext& context)
    : Predictor(context.task, context.features.reference_slot),
      alpha_(prior_alpha),
      beta_(prior_beta),
      clicks_(context.offers.size(), 0.0),
      impressions_(context.offers.size(), 0.0),
      mean_(context.offers.size(), prior_alpha / (prior_alpha + prior_beta)) {}

void BetaCtr::do_predict(const RequestFeatures&, std::span<const std::uint32_t> offers, int,
                         std::span<double> out) const {
  for (std::size_t i = 0; i < offers.size(); ++i) out[i] = mean_[offers[i]];
}

void BetaCtr::do_train(std::span<const Example> batch) {
  for (const Example& e : batch) {
    clicks_[e.offer] += e.label(task()) ? e.weight : 0.0;
    impressions_[e.offer] += e.weight;
    mean_[e.offer] = (alpha_ + clicks_[e.offer]) / (alpha_ + beta_ + impressions_[e.offer]);
  }
}

void BetaCtr::do_reset() {
  std::fill(clicks_.begin(), clicks_.end(), 0.0);
  std::fill(impressions_.begin(), impressions_.end(), 0.0);
  std::fill(mean_.begin(), mean_.end(), alpha_ / (alpha_ + beta_));
}

void BetaCtr::do_sample(const RequestFeatures&, std::span<const std::uint32_t> offers,
                        RngStream& rng, std::span<double> out) const {
  for (std::size_t i = 0; i < offers.size(); ++i) {
    const std::uint32_t o = offers[i];
    boost::random::beta_distribution<double> posterior(alpha_ + clicks_[o],
                                                       beta_ + impressions_[o] - clicks_[o]);
    out[i] = posterior(rng);
  }
}

void BetaCtr::do_evidence(const RequestFeatures&, std::span<const std::uint32_t> offers,
                          std::span<double> out) const {
  for (std::size_t i = 0; i < offers.size(); ++i) out[i] = impressions_[offers[i]];
}

void register_beta_ctr(PredictorRegistry& registry) {
  registry.add(
      {"beta",
       "per-offer Beta posterior mean of the task's rate from logged labels (ignores context, "
       "slot and features)",
       {ParamSpec::real("prior_alpha", 1, 1e-6, 1e9, "prior pseudo-positives"),
        ParamSpec::real("prior_beta", 30, 1e-6, 1e9, "prior pseudo-negatives")}},
      [](const ParamValues& p, const PredictorContext& context) {
        return std::make_unique<BetaCtr>(p.get_real("prior_alpha"), p.get_real("prior_beta"),
                                         context);
      });
}

}  // namespace marketsim
