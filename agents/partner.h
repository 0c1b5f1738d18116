// Partners: the sites whose confirmation pages carry the offers, their traffic and their rules.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "agents/arrival_process.h"
#include "sim/core/param.h"
#include "sim/core/rng.h"

namespace marketsim {

inline constexpr int kVerticalCount = 5;

// Names of the partner verticals, in code order.
inline constexpr std::array<const char*, kVerticalCount> kVerticalNames = {
    "ticketing", "travel", "retail", "food", "services"};

// A scheduled traffic spike (section [[partners.flash_sales]]).
struct FlashSale {
  double start_h = 0;
  double duration_h = 0;
  double multiplier = 1;
  std::int64_t partner = -1;  // -1: every partner
};

// Scenario parameters of the partners (section [partners]).
struct PartnerSpec {
  std::int64_t count = 0;
  double transactions_per_hour = 0;    // mean base rate of one partner
  double rate_dispersion = 0;          // log-normal sigma of base rates across partners
  std::vector<double> hourly_profile;  // 24 multipliers of the base rate
  std::vector<double> weekly_profile;  // 7 multipliers, day 0 = Monday
  std::vector<FlashSale> flash_sales;
  std::vector<double> vertical_share;   // kVerticalCount weights
  std::vector<double> cart_value_mean;  // per vertical, USD
  double cart_value_dispersion = 0;
  double cart_in_vertical = 0;  // probability that the cart's category is one of the vertical's
  std::int64_t slots = 0;
  double reserve_price = 0;  // minimum bid per billable event to enter the auction, USD
  double reserve_dispersion = 0;
  double revenue_share = 0;  // partner's share of ad spend on its pages
  double block_probability = 0;
  std::int64_t first_party_offers = 0;
  double first_party_margin_mean = 0;

  static std::vector<ParamSpec> declare();
  static PartnerSpec from(const ParamValues& values);
};

// One partner as the simulation sees it (all of it observable by policies).
struct Partner {
  std::uint32_t id;
  int vertical;
  double base_rate_per_hour;
  int slots;
  double reserve_price;
  double revenue_share;
  double cart_value_mean;
  std::vector<std::uint8_t> category_allowed;  // business rules: 1 when ads of a category may show
};

// Draws the partners of one replication; partner p comes from the stream ("partners", p), so
// adding a partner changes no other partner. `categories` is the number of offer categories.
std::vector<Partner> make_partners(const PartnerSpec& spec, int categories, ReplicationKey key);

// The arrival-rate profile of `partner`: its base rate, the hourly and weekly profiles and the
// flash sales that apply to it.
RateProfile rate_profile(const PartnerSpec& spec, const Partner& partner);

// The multiplier of the base rate in hour `hour` of a run (hour 0 starts Monday 00:00): the
// hourly and weekly profiles', flash sales left out.
double profile_multiplier(const PartnerSpec& spec, std::size_t hour);

}  // namespace marketsim
