// Targeting: hashed per-advertiser device/region targeting and a top-k by bid with a cap.
#include "policies/candidates/targeting.h"

#include "agents/user_population.h"
#include "sim/core/hash.h"

namespace marketsim {
namespace {

// The hash of (advertiser, rule): the top 32 bits decide whether the rule applies, the low 32
// bits pick the targeted value.
std::uint64_t rule_hash(std::uint32_t advertiser, std::uint32_t rule) {
  return splitmix64((static_cast<std::uint64_t>(rule) << 32) | advertiser);
}

// True when the rule hashed in `h` restricts, given the share of advertisers it restricts.
bool restricts(std::uint64_t h, double share) { return to_unit_open(h >> 32) < share; }

// True when `value` is the one the restricting rule `h` allows among `count` values.
bool matches(std::uint64_t h, std::uint8_t value, int count) {
  return value != kMissingFeature && value == (h & 0xFFFFFFFFu) % static_cast<unsigned>(count);
}

constexpr std::uint32_t kDeviceRule = component_id("targeting.device");
constexpr std::uint32_t kRegionRule = component_id("targeting.region");

}  // namespace

Targeting::Targeting(const Params& params, const CandidateContext& context)
    : params_(params), regions_(context.regions), top_(context.offers, params.k) {
  if (params.max_per_advertiser > 0) taken_.resize(context.offers);
}

bool Targeting::targets(std::uint32_t advertiser, const RequestFeatures& features) const {
  const std::uint64_t device = rule_hash(advertiser, kDeviceRule);
  if (restricts(device, params_.device_targeting_share) &&
      !matches(device, features.device, kDeviceCount))
    return false;
  const std::uint64_t region = rule_hash(advertiser, kRegionRule);
  return regions_ == 0 || !restricts(region, params_.region_targeting_share) ||
         matches(region, features.region, regions_);
}

void Targeting::do_generate(const Request& request, const MarketView& market,
                            std::vector<std::uint32_t>& out) {
  top_.clear();
  scan_eligible(request, market, out, [&](const Offer& offer) {
    if (targets(offer.advertiser, request.features)) top_.add(offer.id, offer.bid);
  });
  if (params_.max_per_advertiser == 0) {
    top_.append_best(out);
    return;
  }
  const std::size_t first = out.size();
  int kept = 0;
  for (const ScoredOffer& ad : top_.sorted()) {
    if (kept == params_.k) break;
    const std::uint32_t a = market.offers[ad.id].advertiser;
    if (a >= taken_.size()) taken_.resize(a + 1);  // only for catalogs larger than the context's
    if (taken_[a] == static_cast<std::uint32_t>(params_.max_per_advertiser)) continue;
    ++taken_[a];
    ++kept;
    out.push_back(ad.id);
  }
  for (std::size_t i = first; i < out.size(); ++i) taken_[market.offers[out[i]].advertiser] = 0;
}

void register_targeting(CandidateGeneratorRegistry& registry) {
  registry.add(
      {"targeting",
       "business rules and targeting: eligible ads matching their advertiser's hashed device and "
       "region targeting, the k highest bids, capped per advertiser",
       {k_param(),
        ParamSpec::integer("max_per_advertiser", 0, 0, 1e6,
                           "most ad candidates from one advertiser (0: no cap)"),
        ParamSpec::real("device_targeting_share", 0, 0, 1,
                        "share of advertisers that target one device (hashed from their id)"),
        ParamSpec::real("region_targeting_share", 0, 0, 1,
                        "share of advertisers that target one region (hashed from their id)")}},
      [](const ParamValues& p, const CandidateContext& context) {
        return std::make_unique<Targeting>(
            Targeting::Params{
                static_cast<int>(p.get_int("k")), static_cast<int>(p.get_int("max_per_advertiser")),
                p.get_real("device_targeting_share"), p.get_real("region_targeting_share")},
            context);
      });
}

}  // namespace marketsim
