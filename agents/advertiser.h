// Advertisers and the offer catalog: who bids what, how, and how much they may spend.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "agents/partner.h"
#include "sim/core/param.h"
#include "sim/core/rng.h"

namespace marketsim {

// How an offer pays: per click, per conversion, per thousand impressions; first-party offers
// belong to the partner and pay nothing (the partner earns a margin when they convert).
enum class BidType : std::uint8_t { kCpc, kCpa, kCpm, kFirstParty };

inline constexpr std::uint32_t kNoAdvertiser = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::uint32_t kNoPartner = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::int64_t kMaxOffersPerAdvertiser = 256;
inline constexpr std::int64_t kMaxCreativesPerOffer = 16;

// Scenario parameters of the advertisers (section [advertisers]).
struct AdvertiserSpec {
  std::int64_t count = 0;
  std::int64_t offers_per_advertiser = 0;
  std::int64_t creatives_per_offer = 0;
  std::int64_t categories = 0;
  std::int64_t creative_types = 0;
  std::int64_t layouts = 0;
  std::int64_t messages = 0;
  std::vector<double> bid_type_share;  // CPC, CPA, CPM weights
  double cpc_bid_mean = 0;
  double cpm_bid_mean = 0;
  double bid_dispersion = 0;
  double daily_budget_mean = 0;
  double budget_dispersion = 0;
  double value_per_conversion_mean = 0;
  double value_dispersion = 0;
  double target_roas_mean = 0;

  static std::vector<ParamSpec> declare();
  static AdvertiserSpec from(const ParamValues& values);
};

// One advertiser (a campaign): how it pays, its budget, what a conversion is worth to it.
struct Advertiser {
  std::uint32_t id;
  BidType bid_type;
  double daily_budget;          // USD
  double value_per_conversion;  // USD
  double target_roas;           // conversion value per USD spent it aims for
};

// One catalog entry: a creative variant (layout, message) of an offer. Each is a candidate of its
// own; the creatives of an offer share its advertiser's budget. Everything here is observable by
// policies: the hidden truth about an entry lives in GroundTruth.
struct Offer {
  std::uint32_t id;             // index into the catalog
  std::uint32_t entity;         // stable identity keying the entry's random streams
  std::uint32_t product;        // index of the offer this creative shows (shared by its creatives)
  std::uint32_t advertiser;     // kNoAdvertiser for first-party offers
  std::uint32_t owner_partner;  // the partner of a first-party offer, else kNoPartner
  std::uint16_t category;
  std::uint8_t creative_type;
  std::uint8_t layout;
  std::uint8_t message;
  BidType bid_type;
  double bid;  // USD per billable event (click, conversion, impression); first party: margin
};

// The advertisers and the catalog of one replication. Advertiser a's numbers come from the stream
// ("advertisers", a), its j-th offer's from ("offers", a * 256 + j) and that offer's c-th
// creative's from ("creatives", (a * 256 + j) * 16 + c); partner p's first-party offers come from
// ("first_party", 2^31 + p * 16 + f). Adding an advertiser or an offer changes nothing that was
// there.
struct AdvertiserMarket {
  std::vector<Advertiser> advertisers;
  std::vector<Offer> offers;  // ads first (advertiser order), then first-party offers
  int latent_dim = 0;
  int categories = 0;             // offer categories (advertisers.categories)
  std::vector<float> embeddings;  // latent_dim per catalog entry (an offer's creatives share it)

  std::span<const float> embedding(std::uint32_t offer) const {
    return {embeddings.data() + static_cast<std::size_t>(offer) * latent_dim,
            static_cast<std::size_t>(latent_dim)};
  }
};

AdvertiserMarket make_market(const AdvertiserSpec& spec, const std::vector<Partner>& partners,
                             const PartnerSpec& partner_spec, int latent_dim, ReplicationKey key);

}  // namespace marketsim
