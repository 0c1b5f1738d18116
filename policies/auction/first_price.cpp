// FirstPrice: pay-your-bid pricing and its registration.
#include "policies/auction/first_price.h"

namespace marketsim {

void FirstPrice::do_clear(const AuctionInput& input, AuctionResult& result) {
  const Slate& slate = *input.slate;
  for (int s = 0; s < slate.shown; ++s) result.price_per_click[s] = input.bids[slate.order[s]];
}

void register_first_price(AuctionRegistry& registry) {
  registry.add({"first_price", "pay your bid: each winner pays its own CPC bid", {}},
               [](const ParamValues&) { return std::make_unique<FirstPrice>(); });
}

}  // namespace marketsim
