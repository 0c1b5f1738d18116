// RequestFeatures: what a model may observe about a request.
#pragma once

#include <cstdint>

namespace marketsim {

// Observable features of one request (the user's attributes and the partner). Models see only
// these and the offers' ids, never the ground truth.
struct RequestFeatures {
  std::uint8_t device = 0;
  std::uint8_t region = 0;
  std::uint8_t age_band = 0;
  bool returning = false;
  std::uint32_t partner = 0;
};

}  // namespace marketsim
