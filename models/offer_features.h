// OfferFeatures: what models may observe about a catalog entry.
#pragma once

#include <cstdint>

namespace marketsim {

// The observable attributes of one catalog entry (a creative of an offer), copied from the
// catalog for the models, which never see agents/. `advertiser` is 0xFFFFFFFF for a partner's own
// offer; `bid_type` is 0 CPC, 1 CPA, 2 CPM, 3 first party.
struct OfferFeatures {
  std::uint32_t product = 0;
  std::uint32_t advertiser = 0;
  std::uint16_t category = 0;
  std::uint8_t creative_type = 0;
  std::uint8_t layout = 0;
  std::uint8_t message = 0;
  std::uint8_t bid_type = 0;
};

}  // namespace marketsim
