// SecondPrice: quality-weighted second-price auction over k slots.
#pragma once

#include "policies/auction/auction.h"

namespace marketsim {

// Each shown candidate pays, per click, the least bid that keeps its score (bid x quality) at the
// score of the candidate below it in the slate: price = score(next) / quality(self), floored at
// the reserve and capped at its own bid. With one slot and equal qualities this is the Vickrey
// auction; with k slots it is the generalized second-price auction. The last shown slot is priced
// by the runner-up, or pays the reserve when there is none.
class SecondPrice final : public Auction {
 private:
  void do_clear(const AuctionInput& input, AuctionResult& result) override;
};

// Adds "second_price" to the registry.
void register_second_price(AuctionRegistry& registry);

}  // namespace marketsim
