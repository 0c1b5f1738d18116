// Advertisers and their offers: who bids what for which slot, and how much they may spend.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/param.h"
#include "sim/core/rng.h"

namespace marketsim {

// Scenario parameters of the advertisers (section [advertisers]).
struct AdvertiserSpec {
  std::int64_t count = 0;
  std::int64_t offers_per_advertiser = 0;
  std::int64_t categories = 0;
  double cpc_bid_mean = 0;
  double bid_dispersion = 0;
  double daily_budget_mean = 0;
  double budget_dispersion = 0;
  double value_per_conversion_mean = 0;
  double value_dispersion = 0;

  static std::vector<ParamSpec> declare();
  static AdvertiserSpec from(const ParamValues& values);
};

// One advertiser: budget and what a conversion is worth to it (USD).
struct Advertiser {
  std::uint32_t id;
  double daily_budget;
  double value_per_conversion;
};

// One offer as policies may see it: no truth here.
struct Offer {
  std::uint32_t id;      // index into the catalog
  std::uint32_t entity;  // stable identity (advertiser * 256 + j) keying the offer's streams
  std::uint32_t advertiser;
  std::uint16_t category;
  double cpc_bid;  // USD per click
};

// The advertisers of one replication and their offers. Advertiser a's numbers come from the
// stream ("advertisers", a) and its j-th offer's from ("offers", a * 256 + j), so adding an
// advertiser or an offer changes nothing that was already there.
struct AdvertiserMarket {
  std::vector<Advertiser> advertisers;
  std::vector<Offer> offers;  // offers of advertiser a are contiguous, in advertiser order
};

AdvertiserMarket make_market(const AdvertiserSpec& spec, ReplicationKey key);

}  // namespace marketsim
