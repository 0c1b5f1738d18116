#include "agents/advertiser.h"

#include "agents/draws.h"

#include <boost/random/discrete_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>

namespace marketsim {
namespace {

// Log-normal sigmas of the target ROAS across advertisers and of first-party margins.
constexpr double kTargetRoasDispersion = 0.3;
constexpr double kMarginDispersion = 0.5;

// Appends `dim` standard normal components: an offer's content embedding.
void append_embedding(RngStream& rng, int dim, std::vector<float>& out) {
  boost::random::normal_distribution<float> normal;
  for (int i = 0; i < dim; ++i) out.push_back(normal(rng));
}

}  // namespace

std::vector<ParamSpec> AdvertiserSpec::declare() {
  return {
      ParamSpec::integer("count", 25, 1, 500000, "number of advertisers (one campaign each)"),
      ParamSpec::integer("offers_per_advertiser", 2, 1, kMaxOffersPerAdvertiser,
                         "offers each advertiser runs"),
      ParamSpec::integer("creatives_per_offer", 1, 1, kMaxCreativesPerOffer,
                         "creative variants (layout, message) of each offer; each is a candidate"),
      ParamSpec::integer("categories", 12, 1, 4096, "number of offer categories"),
      ParamSpec::integer("creative_types", 3, 1, 255, "number of creative types"),
      ParamSpec::integer("layouts", 3, 1, 255, "number of creative layouts"),
      ParamSpec::integer("messages", 4, 1, 255, "number of creative messages"),
      ParamSpec::real_list("bid_type_share", {1.0, 0.0, 0.0}, 3, 0, 1e6,
                           "relative weights of CPC, CPA and CPM campaigns"),
      ParamSpec::real("cpc_bid_mean", 0.6, 0, 1e6, "mean CPC bid", "USD"),
      ParamSpec::real("cpm_bid_mean", 20, 0, 1e9, "mean CPM bid (per thousand impressions)", "USD"),
      ParamSpec::real("bid_dispersion", 0.5, 0, 5, "log-normal sigma of bids"),
      ParamSpec::real("daily_budget_mean", 500, 0, 1e12, "mean daily budget of an advertiser",
                      "USD"),
      ParamSpec::real("budget_dispersion", 0.5, 0, 5, "log-normal sigma of daily budgets"),
      ParamSpec::real("value_per_conversion_mean", 25, 0, 1e9,
                      "mean value of a conversion to its advertiser", "USD"),
      ParamSpec::real("value_dispersion", 0.5, 0, 5,
                      "log-normal sigma of the value per conversion across advertisers"),
      ParamSpec::real("target_roas_mean", 4, 1e-3, 1e6,
                      "mean target return on ad spend; CPA bids are value / target ROAS"),
  };
}

AdvertiserSpec AdvertiserSpec::from(const ParamValues& values) {
  AdvertiserSpec spec;
  spec.count = values.get_int("count");
  spec.offers_per_advertiser = values.get_int("offers_per_advertiser");
  spec.creatives_per_offer = values.get_int("creatives_per_offer");
  spec.categories = values.get_int("categories");
  spec.creative_types = values.get_int("creative_types");
  spec.layouts = values.get_int("layouts");
  spec.messages = values.get_int("messages");
  spec.bid_type_share = values.get_real_list("bid_type_share");
  spec.cpc_bid_mean = values.get_real("cpc_bid_mean");
  spec.cpm_bid_mean = values.get_real("cpm_bid_mean");
  spec.bid_dispersion = values.get_real("bid_dispersion");
  spec.daily_budget_mean = values.get_real("daily_budget_mean");
  spec.budget_dispersion = values.get_real("budget_dispersion");
  spec.value_per_conversion_mean = values.get_real("value_per_conversion_mean");
  spec.value_dispersion = values.get_real("value_dispersion");
  spec.target_roas_mean = values.get_real("target_roas_mean");
  require_positive_total(values, "bid_type_share");
  return spec;
}

AdvertiserMarket make_market(const AdvertiserSpec& spec, const std::vector<Partner>& partners,
                             const PartnerSpec& partner_spec, int latent_dim, ReplicationKey key) {
  AdvertiserMarket market;
  market.latent_dim = latent_dim;
  market.categories = static_cast<int>(spec.categories);
  const int categories = static_cast<int>(spec.categories);
  boost::random::uniform_int_distribution<int> category(0, categories - 1);
  boost::random::uniform_int_distribution<int> creative_type(0, int(spec.creative_types) - 1);
  boost::random::uniform_int_distribution<int> layout(0, int(spec.layouts) - 1);
  boost::random::uniform_int_distribution<int> message(0, int(spec.messages) - 1);
  boost::random::discrete_distribution<int> bid_type(spec.bid_type_share);
  std::uint32_t product = 0;
  for (std::uint32_t a = 0; a < spec.count; ++a) {
    RngStream rng(key, "advertisers", a);
    const auto type = static_cast<BidType>(bid_type(rng));
    const double budget = lognormal_with_mean(rng, spec.daily_budget_mean, spec.budget_dispersion);
    const double value =
        lognormal_with_mean(rng, spec.value_per_conversion_mean, spec.value_dispersion);
    const double roas = lognormal_with_mean(rng, spec.target_roas_mean, kTargetRoasDispersion);
    market.advertisers.push_back(Advertiser{a, type, budget, value, roas});
    for (std::uint32_t j = 0; j < spec.offers_per_advertiser; ++j, ++product) {
      const auto offer_entity = static_cast<std::uint32_t>(a * kMaxOffersPerAdvertiser + j);
      RngStream offer_rng(key, "offers", offer_entity);
      const auto cat = static_cast<std::uint16_t>(category(offer_rng));
      const auto ctype = static_cast<std::uint8_t>(creative_type(offer_rng));
      double bid = 0;
      switch (type) {
        case BidType::kCpc:
          bid = lognormal_with_mean(offer_rng, spec.cpc_bid_mean, spec.bid_dispersion);
          break;
        case BidType::kCpa:
          bid = value / roas;
          break;
        case BidType::kCpm:
          bid = lognormal_with_mean(offer_rng, spec.cpm_bid_mean, spec.bid_dispersion) / 1000.0;
          break;
        case BidType::kFirstParty:
          break;
      }
      std::vector<float> embedding;
      append_embedding(offer_rng, latent_dim, embedding);
      for (std::uint32_t c = 0; c < spec.creatives_per_offer; ++c) {
        const auto entity = static_cast<std::uint32_t>(offer_entity * kMaxCreativesPerOffer + c);
        RngStream creative_rng(key, "creatives", entity);
        market.offers.push_back(Offer{static_cast<std::uint32_t>(market.offers.size()), entity,
                                      product, a, kNoPartner, cat, ctype,
                                      static_cast<std::uint8_t>(layout(creative_rng)),
                                      static_cast<std::uint8_t>(message(creative_rng)), type, bid});
        market.embeddings.insert(market.embeddings.end(), embedding.begin(), embedding.end());
      }
    }
  }
  for (const Partner& partner : partners) {
    for (std::uint32_t f = 0; f < partner_spec.first_party_offers; ++f, ++product) {
      const std::uint32_t entity = 0x80000000u | (partner.id * 16u + f);
      RngStream rng(key, "first_party", entity);
      // First-party offers sit in the partner's own vertical's categories when it has any.
      int cat = category(rng);
      if (partner.vertical < categories)
        cat = partner.vertical + kVerticalCount * (cat / kVerticalCount);
      if (cat >= categories) cat = partner.vertical;
      const double margin =
          lognormal_with_mean(rng, partner_spec.first_party_margin_mean, kMarginDispersion);
      market.offers.push_back(Offer{
          static_cast<std::uint32_t>(market.offers.size()), entity, product, kNoAdvertiser,
          partner.id, static_cast<std::uint16_t>(cat),
          static_cast<std::uint8_t>(creative_type(rng)), static_cast<std::uint8_t>(layout(rng)),
          static_cast<std::uint8_t>(message(rng)), BidType::kFirstParty, margin});
      append_embedding(rng, latent_dim, market.embeddings);
    }
  }
  return market;
}

}  // namespace marketsim
