// SecondPrice: uniform-price generalization of the Vickrey auction over k slots.
#pragma once

#include "policies/auction/auction.h"

namespace marketsim {

// Every shown candidate pays, per click, the least bid that keeps its score (bid x quality) at the
// highest losing score, the runner-up's: price = score(runner-up) / quality(self), floored at the
// reserve and capped at its own bid; the reserve when there is no runner-up. With one slot this is
// the (quality-weighted) Vickrey auction; with k slots every winner faces the same threshold
// score. With quality_weighted = false, prices use bids alone (quality taken as 1): every winner
// pays the runner-up's bid.
class SecondPrice final : public Auction {
 public:
  explicit SecondPrice(bool quality_weighted) : quality_weighted_(quality_weighted) {}

 private:
  void do_clear(const AuctionInput& input, AuctionResult& result) override;

  bool quality_weighted_;
};

// Adds "second_price" to the registry.
void register_second_price(AuctionRegistry& registry);

}  // namespace marketsim
