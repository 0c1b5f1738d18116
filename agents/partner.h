// Partners: the sites whose confirmation pages carry the offers, and their traffic.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/param.h"
#include "sim/core/rng.h"

namespace marketsim {

// Scenario parameters of the partners (section [partners]).
struct PartnerSpec {
  std::int64_t count = 0;
  double transactions_per_hour = 0;    // mean base rate of one partner
  double rate_dispersion = 0;          // log-normal sigma of base rates across partners
  std::vector<double> hourly_profile;  // 24 multipliers of the base rate
  std::int64_t slots = 0;
  double reserve_price = 0;  // minimum CPC bid, USD
  double revenue_share = 0;  // partner's share of ad spend on its pages

  static std::vector<ParamSpec> declare();
  static PartnerSpec from(const ParamValues& values);
};

// One partner as the simulation sees it.
struct Partner {
  std::uint32_t id;
  double base_rate_per_hour;
  int slots;
  double reserve_price;
  double revenue_share;
};

// Draws the partners of one replication; partner p's base rate comes from the stream
// ("partners.rate", p), so adding a partner changes no other partner.
std::vector<Partner> make_partners(const PartnerSpec& spec, ReplicationKey key);

}  // namespace marketsim
