#include "policies/bidding/fixed_bidder.h"

namespace marketsim {

void register_fixed_bidder(BidderRegistry& registry) {
  registry.add({"fixed", "bids as configured", {}},
               [](const ParamValues&, std::size_t) { return std::make_unique<FixedBidder>(); });
}

}  // namespace marketsim
