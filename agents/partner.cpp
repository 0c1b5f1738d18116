#include "agents/partner.h"

#include "agents/draws.h"

#include <boost/random/discrete_distribution.hpp>
#include <boost/random/uniform_01.hpp>

namespace marketsim {
namespace {

std::string vertical_list() {
  std::string s;
  for (const char* v : kVerticalNames) s += (s.empty() ? "" : ", ") + std::string(v);
  return s;
}

}  // namespace

std::vector<ParamSpec> PartnerSpec::declare() {
  return {
      ParamSpec::integer("count", 20, 1, 65535, "number of partners"),
      ParamSpec::real("transactions_per_hour", 2000, 0, 1e9,
                      "mean base transaction rate of one partner (organic traffic)", "1/h"),
      ParamSpec::real("rate_dispersion", 0.5, 0, 5,
                      "log-normal sigma of base rates across partners (mean preserved)"),
      ParamSpec::real_list("hourly_profile",
                           {0.3, 0.2, 0.15, 0.1, 0.1,  0.15, 0.3, 0.6, 0.9, 1.1, 1.2, 1.3,
                            1.4, 1.3, 1.25, 1.2, 1.25, 1.4,  1.6, 1.8, 1.7, 1.4, 1.0, 0.6},
                           24, 0, 1e6, "multiplier of the base rate for each hour of the day"),
      ParamSpec::real_list("weekly_profile", {0.95, 0.95, 1.0, 1.0, 1.05, 1.15, 0.9}, 7, 0, 1e6,
                           "multiplier of the base rate for each day of the week (day 0: Monday)"),
      ParamSpec::real("flash_sales[].start_h", 0, 0, 1e6, "start of a flash sale", "h"),
      ParamSpec::real("flash_sales[].duration_h", 1, 0, 1e6, "length of the flash sale", "h"),
      ParamSpec::real("flash_sales[].multiplier", 5, 0, 1e4,
                      "traffic multiplier during the flash sale"),
      ParamSpec::integer("flash_sales[].partner", -1, -1, 65534,
                         "partner id having the sale, -1 for all partners"),
      ParamSpec::real_list("vertical_share", {0.2, 0.25, 0.3, 0.15, 0.1}, kVerticalCount, 0, 1e6,
                           "relative weights of the verticals " + vertical_list()),
      ParamSpec::real_list("cart_value_mean", {120, 450, 80, 35, 150}, kVerticalCount, 0, 1e9,
                           "mean cart value per vertical", "USD"),
      ParamSpec::real("cart_value_dispersion", 0.6, 0, 5, "log-normal sigma of cart values"),
      ParamSpec::real("cart_in_vertical", 0.8, 0, 1,
                      "probability that the cart's category is one of its vertical's categories"),
      ParamSpec::integer("slots", 3, 1, 16, "offer slots on a confirmation page"),
      ParamSpec::real("reserve_price", 0.05, 0, 1e6,
                      "mean fixed reserve price per click equivalent (bids of every type are "
                      "compared as money per click)",
                      "USD"),
      ParamSpec::real("reserve_dispersion", 0.0, 0, 5,
                      "log-normal sigma of the fixed reserve prices across partners"),
      ParamSpec::real("revenue_share", 0.5, 0, 1, "partner's share of ad spend on its pages"),
      ParamSpec::real("block_probability", 0.05, 0, 1,
                      "probability that a partner blocks ads of a given category"),
      ParamSpec::integer("first_party_offers", 1, 0, 8,
                         "partner's own offers (upsell, payment offer) competing with ads"),
      ParamSpec::real("first_party_margin_mean", 8, 0, 1e9,
                      "mean margin of a first-party conversion to the partner", "USD"),
  };
}

PartnerSpec PartnerSpec::from(const ParamValues& values) {
  PartnerSpec spec;
  spec.count = values.get_int("count");
  spec.transactions_per_hour = values.get_real("transactions_per_hour");
  spec.rate_dispersion = values.get_real("rate_dispersion");
  spec.hourly_profile = values.get_real_list("hourly_profile");
  spec.weekly_profile = values.get_real_list("weekly_profile");
  const std::int64_t sales = values.get_int("flash_sales");
  for (std::int64_t i = 0; i < sales; ++i) {
    const ParamValues sale = values.subset("flash_sales." + std::to_string(i));
    spec.flash_sales.push_back(FlashSale{sale.get_real("start_h"), sale.get_real("duration_h"),
                                         sale.get_real("multiplier"), sale.get_int("partner")});
    if (spec.flash_sales.back().partner >= spec.count)
      sale.fail("partner", "no such partner (partners.count = " + std::to_string(spec.count) + ")");
  }
  spec.vertical_share = values.get_real_list("vertical_share");
  spec.cart_value_mean = values.get_real_list("cart_value_mean");
  spec.cart_value_dispersion = values.get_real("cart_value_dispersion");
  spec.cart_in_vertical = values.get_real("cart_in_vertical");
  spec.slots = values.get_int("slots");
  spec.reserve_price = values.get_real("reserve_price");
  spec.reserve_dispersion = values.get_real("reserve_dispersion");
  spec.revenue_share = values.get_real("revenue_share");
  spec.block_probability = values.get_real("block_probability");
  spec.first_party_offers = values.get_int("first_party_offers");
  spec.first_party_margin_mean = values.get_real("first_party_margin_mean");
  require_positive_total(values, "vertical_share");
  return spec;
}

std::vector<Partner> make_partners(const PartnerSpec& spec, int categories, ReplicationKey key) {
  boost::random::discrete_distribution<int> vertical(spec.vertical_share);
  boost::random::uniform_01<double> unit;
  std::vector<Partner> partners;
  for (std::uint32_t p = 0; p < spec.count; ++p) {
    RngStream rng(key, "partners", p);
    Partner partner;
    partner.id = p;
    partner.vertical = vertical(rng);
    partner.base_rate_per_hour =
        spec.transactions_per_hour * lognormal_with_mean(rng, 1.0, spec.rate_dispersion);
    partner.slots = static_cast<int>(spec.slots);
    partner.reserve_price =
        spec.reserve_price * lognormal_with_mean(rng, 1.0, spec.reserve_dispersion);
    partner.revenue_share = spec.revenue_share;
    partner.cart_value_mean = spec.cart_value_mean[partner.vertical];
    partner.category_allowed.resize(static_cast<std::size_t>(categories));
    for (auto& allowed : partner.category_allowed)
      allowed = unit(rng) < spec.block_probability ? 0 : 1;
    partners.push_back(std::move(partner));
  }
  return partners;
}

RateProfile rate_profile(const PartnerSpec& spec, const Partner& partner) {
  RateProfile profile{partner.base_rate_per_hour, spec.hourly_profile, spec.weekly_profile, {}};
  for (const FlashSale& sale : spec.flash_sales)
    if (sale.partner < 0 || sale.partner == static_cast<std::int64_t>(partner.id))
      profile.spikes.push_back(RateSpike{hours_to_time(sale.start_h),
                                         hours_to_time(sale.start_h + sale.duration_h),
                                         sale.multiplier});
  return profile;
}

double profile_multiplier(const PartnerSpec& spec, std::size_t hour) {
  const auto& daily = spec.hourly_profile;
  const auto& weekly = spec.weekly_profile;
  return (daily.empty() ? 1.0 : daily[hour % daily.size()]) *
         (weekly.empty() ? 1.0 : weekly[hour / 24 % weekly.size()]);
}

}  // namespace marketsim
