#include "agents/partner.h"

#include <boost/random/lognormal_distribution.hpp>
#include <cmath>

namespace marketsim {

std::vector<ParamSpec> PartnerSpec::declare() {
  return {
      ParamSpec::integer("count", 20, 1, 100000, "number of partners"),
      ParamSpec::real("transactions_per_hour", 2000, 0, 1e9,
                      "mean base transaction rate of one partner", "1/h"),
      ParamSpec::real("rate_dispersion", 0.5, 0, 5,
                      "log-normal sigma of base rates across partners (mean preserved)"),
      ParamSpec::real_list("hourly_profile",
                           {0.3, 0.2, 0.15, 0.1, 0.1,  0.15, 0.3, 0.6, 0.9, 1.1, 1.2, 1.3,
                            1.4, 1.3, 1.25, 1.2, 1.25, 1.4,  1.6, 1.8, 1.7, 1.4, 1.0, 0.6},
                           24, 0, 1e6, "multiplier of the base rate for each hour of the day"),
      ParamSpec::integer("slots", 3, 1, 16, "offer slots on a confirmation page"),
      ParamSpec::real("reserve_price", 0.05, 0, 1e6, "minimum CPC bid to enter the auction", "USD"),
      ParamSpec::real("revenue_share", 0.5, 0, 1, "partner's share of ad spend on its pages"),
  };
}

PartnerSpec PartnerSpec::from(const ParamValues& values) {
  PartnerSpec spec;
  spec.count = values.get_int("count");
  spec.transactions_per_hour = values.get_real("transactions_per_hour");
  spec.rate_dispersion = values.get_real("rate_dispersion");
  spec.hourly_profile = values.get_real_list("hourly_profile");
  spec.slots = values.get_int("slots");
  spec.reserve_price = values.get_real("reserve_price");
  spec.revenue_share = values.get_real("revenue_share");
  return spec;
}

std::vector<Partner> make_partners(const PartnerSpec& spec, ReplicationKey key) {
  const double sigma = spec.rate_dispersion;
  boost::random::lognormal_distribution<double> rate_factor(-0.5 * sigma * sigma, sigma);
  std::vector<Partner> partners;
  for (std::uint32_t p = 0; p < spec.count; ++p) {
    RngStream rng(key, "partners.rate", p);
    const double factor = sigma > 0 ? rate_factor(rng) : 1.0;
    partners.push_back(Partner{p, spec.transactions_per_hour * factor, static_cast<int>(spec.slots),
                               spec.reserve_price, spec.revenue_share});
  }
  return partners;
}

}  // namespace marketsim
