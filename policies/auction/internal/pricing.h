// Pricing helpers shared by the built-in auctions (private to policies/auction).
#pragma once

#include <algorithm>

#include "policies/auction/auction.h"
#include "sim/core/param.h"

namespace marketsim::auction_internal {

// The declaration of the `quality_weighted` parameter of second_price, gsp and vcg.
inline ParamSpec quality_weighted_param() {
  return ParamSpec::boolean(
      "quality_weighted", true,
      "price on scores bid x pCTR; false: on bids alone (quality taken as 1)");
}

// The quality an auction prices with: the candidate's pCTR, or 1 when prices use bids alone.
inline double weight(const AuctionInput& input, int candidate, bool quality_weighted) {
  return quality_weighted ? input.quality[candidate] : 1.0;
}

// The score an auction prices with: bid x weight.
inline double score(const AuctionInput& input, int candidate, bool quality_weighted) {
  return input.bids[candidate] * weight(input, candidate, quality_weighted);
}

// The least bid per click that keeps a winner of weight `own_weight` at `score_to_match`; the
// reserve when the weight is 0 (no bid can move a zero score, and zero expected clicks cost
// nothing).
inline double matching_bid(double score_to_match, double own_weight, double reserve) {
  return own_weight > 0 ? score_to_match / own_weight : reserve;
}

// A raw price floored at the reserve and capped at the winner's bid: min(max(raw, reserve), bid).
inline double floor_and_cap(double raw, double reserve, double bid) {
  return std::min(std::max(raw, reserve), bid);
}

}  // namespace marketsim::auction_internal
