// FirstPrice: every winner pays its own bid.
#pragma once

#include "policies/auction/auction.h"

namespace marketsim {

// Pay-your-bid auction over k slots: each shown candidate pays, per click, exactly its CPC bid
// (which the reserve cannot raise further: a price never exceeds the bid). Not truthful: bidders
// shade, e.g. to (n - 1)/n of their value in the symmetric equilibrium with n i.i.d. U[0, 1]
// values and one slot, which earns the same expected revenue as second price.
class FirstPrice final : public Auction {
 private:
  void do_clear(const AuctionInput& input, AuctionResult& result) override;
};

// Adds "first_price" to the registry.
void register_first_price(AuctionRegistry& registry);

}  // namespace marketsim
