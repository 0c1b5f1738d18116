#include "policies/observable_offers.h"

namespace marketsim {

std::vector<OfferFeatures> observable_features(std::span<const Offer> offers) {
  std::vector<OfferFeatures> features;
  features.reserve(offers.size());
  for (const Offer& o : offers)
    features.push_back(OfferFeatures{o.product, o.advertiser, o.category, o.creative_type, o.layout,
                                     o.message, static_cast<std::uint8_t>(o.bid_type)});
  return features;
}

}  // namespace marketsim
