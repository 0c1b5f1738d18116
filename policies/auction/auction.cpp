// Auction base class (the pricing contract) and the registry of built-in auctions.
#include "policies/auction/auction.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "policies/auction/first_price.h"
#include "policies/auction/gsp.h"
#include "policies/auction/second_price.h"
#include "policies/auction/vcg.h"

namespace marketsim {

void Auction::clear(const AuctionInput& input, AuctionResult& result) {
  if (!(input.reserve >= 0.0 && std::isfinite(input.reserve)))
    throw std::invalid_argument("Auction: reserve must be finite and >= 0");
  const Slate& slate = *input.slate;
  result.price_per_click.assign(static_cast<std::size_t>(slate.shown), 0.0);
  result.runner_up =
      static_cast<int>(slate.order.size()) > slate.shown ? slate.order[slate.shown] : -1;
  do_clear(input, result);
  for (int s = 0; s < slate.shown; ++s) {
    const double bid = input.bids[slate.order[s]];
    const double price = result.price_per_click[s];
    if (!(price >= 0.0 && price <= bid)) throw std::logic_error("Auction: price outside [0, bid]");
    if (price < std::min(input.reserve, bid))
      throw std::logic_error("Auction: price below the reserve");
  }
}

const AuctionRegistry& auction_registry() {
  static const AuctionRegistry registry = [] {
    AuctionRegistry r("auction");
    register_first_price(r);
    register_second_price(r);
    register_gsp(r);
    register_vcg(r);
    return r;
  }();
  return registry;
}

}  // namespace marketsim
