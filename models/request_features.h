// RequestFeatures: what a model may observe about a request.
#pragma once

#include <cstdint>

namespace marketsim {

// Value of a categorical feature that is missing at serving time (train/serve skew).
inline constexpr std::uint8_t kMissingFeature = 0xFF;
inline constexpr std::uint16_t kMissingCategory = 0xFFFF;

// Observable features of one request: the user's attributes, the partner and its vertical, the
// cart's category and the user's id (an identifier, not its hidden tastes). Models see only these
// and the offers' observable attributes, never the ground truth. Any categorical field may hold
// the missing value (kMissingFeature / kMissingCategory) at serving.
struct RequestFeatures {
  std::uint8_t device = 0;
  std::uint8_t region = 0;
  std::uint8_t age_band = 0;
  bool returning = false;
  std::uint32_t partner = 0;
  std::uint8_t vertical = 0;
  std::uint16_t cart_category = 0;
  std::uint32_t user = 0;
};

}  // namespace marketsim
