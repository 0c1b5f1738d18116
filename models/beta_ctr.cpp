#include "models/beta_ctr.h"

#include <boost/random/beta_distribution.hpp>

namespace marketsim {

BetaCtr::BetaCtr(double prior_alpha, double prior_beta, std::size_t offer_count)
    : alpha_(prior_alpha),
      beta_(prior_beta),
      clicks_(offer_count, 0.0),
      impressions_(offer_count, 0.0),
      mean_(offer_count, prior_alpha / (prior_alpha + prior_beta)) {}

void BetaCtr::do_predict(const RequestFeatures&, std::span<const std::uint32_t> offers,
                         std::span<double> out) const {
  for (std::size_t i = 0; i < offers.size(); ++i) out[i] = mean_[offers[i]];
}

void BetaCtr::do_learn(const RequestFeatures&, std::uint32_t offer, int, bool clicked) {
  clicks_[offer] += clicked ? 1.0 : 0.0;
  impressions_[offer] += 1.0;
  mean_[offer] = (alpha_ + clicks_[offer]) / (alpha_ + beta_ + impressions_[offer]);
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

void register_beta_ctr(CtrPredictorRegistry& registry) {
  registry.add({"beta",
                "per-offer Beta posterior mean CTR from logged impressions and clicks",
                {ParamSpec::real("prior_alpha", 1, 1e-6, 1e9, "prior pseudo-clicks"),
                 ParamSpec::real("prior_beta", 30, 1e-6, 1e9, "prior pseudo-non-clicks")}},
               [](const ParamValues& p, std::size_t offer_count) {
                 return std::make_unique<BetaCtr>(p.get_real("prior_alpha"),
                                                  p.get_real("prior_beta"), offer_count);
               });
}

}  // namespace marketsim
