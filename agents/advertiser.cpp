#include "agents/advertiser.h"

#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>

namespace marketsim {
namespace {

constexpr std::int64_t kMaxOffersPerAdvertiser = 256;

// A log-normal draw with the given mean and log-scale sigma (mean preserved).
double lognormal_with_mean(RngStream& rng, double mean, double sigma) {
  if (sigma <= 0) return mean;
  boost::random::lognormal_distribution<double> factor(-0.5 * sigma * sigma, sigma);
  return mean * factor(rng);
}

}  // namespace

std::vector<ParamSpec> AdvertiserSpec::declare() {
  return {
      ParamSpec::integer("count", 25, 1, 1e6, "number of advertisers"),
      ParamSpec::integer("offers_per_advertiser", 2, 1, kMaxOffersPerAdvertiser,
                         "offers each advertiser runs"),
      ParamSpec::integer("categories", 8, 1, 65535, "number of offer categories"),
      ParamSpec::real("cpc_bid_mean", 0.6, 0, 1e6, "mean CPC bid of an offer", "USD"),
      ParamSpec::real("bid_dispersion", 0.5, 0, 5, "log-normal sigma of CPC bids"),
      ParamSpec::real("daily_budget_mean", 500, 0, 1e12, "mean daily budget of an advertiser",
                      "USD"),
      ParamSpec::real("budget_dispersion", 0.5, 0, 5, "log-normal sigma of daily budgets"),
      ParamSpec::real("value_per_conversion_mean", 25, 0, 1e9,
                      "mean value of a conversion to its advertiser", "USD"),
      ParamSpec::real("value_dispersion", 0.5, 0, 5,
                      "log-normal sigma of the value per conversion across advertisers"),
  };
}

AdvertiserSpec AdvertiserSpec::from(const ParamValues& values) {
  AdvertiserSpec spec;
  spec.count = values.get_int("count");
  spec.offers_per_advertiser = values.get_int("offers_per_advertiser");
  spec.categories = values.get_int("categories");
  spec.cpc_bid_mean = values.get_real("cpc_bid_mean");
  spec.bid_dispersion = values.get_real("bid_dispersion");
  spec.daily_budget_mean = values.get_real("daily_budget_mean");
  spec.budget_dispersion = values.get_real("budget_dispersion");
  spec.value_per_conversion_mean = values.get_real("value_per_conversion_mean");
  spec.value_dispersion = values.get_real("value_dispersion");
  return spec;
}

AdvertiserMarket make_market(const AdvertiserSpec& spec, ReplicationKey key) {
  AdvertiserMarket market;
  boost::random::uniform_int_distribution<int> category(0, static_cast<int>(spec.categories) - 1);
  for (std::uint32_t a = 0; a < spec.count; ++a) {
    RngStream rng(key, "advertisers", a);
    const double budget = lognormal_with_mean(rng, spec.daily_budget_mean, spec.budget_dispersion);
    const double value =
        lognormal_with_mean(rng, spec.value_per_conversion_mean, spec.value_dispersion);
    market.advertisers.push_back(Advertiser{a, budget, value});
    for (std::uint32_t j = 0; j < spec.offers_per_advertiser; ++j) {
      const auto entity = static_cast<std::uint32_t>(a * kMaxOffersPerAdvertiser + j);
      RngStream offer_rng(key, "offers", entity);
      const auto id = static_cast<std::uint32_t>(market.offers.size());
      const auto cat = static_cast<std::uint16_t>(category(offer_rng));
      const double bid = lognormal_with_mean(offer_rng, spec.cpc_bid_mean, spec.bid_dispersion);
      market.offers.push_back(Offer{id, entity, a, cat, bid});
    }
  }
  return market;
}

}  // namespace marketsim
