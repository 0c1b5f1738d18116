// The catalog as models see it: each entry's observable attributes, without agents' types.
#pragma once

#include <span>
#include <vector>

#include "agents/advertiser.h"
#include "models/offer_features.h"

namespace marketsim {

// The observable attributes of every catalog entry, indexed by offer id.
std::vector<OfferFeatures> observable_features(std::span<const Offer> offers);

}  // namespace marketsim
