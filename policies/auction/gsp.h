// Gsp: the generalized second-price auction over k slots.
#pragma once

#include "policies/auction/auction.h"

namespace marketsim {

// Each shown candidate pays, per click, the least bid that keeps its score (bid x quality) at the
// score of the candidate below it in the slate: price = score(next) / quality(self), floored at
// the reserve and capped at its own bid. The last shown slot is priced by the runner-up, or pays
// the reserve when there is none. With one slot this is the Vickrey auction. Not truthful with
// several slots, but at truthful bids it charges at least VCG, slot by slot. With
// quality_weighted = false, prices use bids alone (quality taken as 1).
class Gsp final : public Auction {
 public:
  explicit Gsp(bool quality_weighted) : quality_weighted_(quality_weighted) {}

 private:
  void do_clear(const AuctionInput& input, AuctionResult& result) override;

  bool quality_weighted_;
};

// Adds "gsp" to the registry.
void register_gsp(AuctionRegistry& registry);

}  // namespace marketsim
