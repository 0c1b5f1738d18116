#include "policies/auction/auction.h"

#include <stdexcept>

#include "policies/auction/second_price.h"

namespace marketsim {

void Auction::clear(const AuctionInput& input, AuctionResult& result) {
  result.price_per_click.assign(static_cast<std::size_t>(input.slate->shown), 0.0);
  result.runner_up = -1;
  do_clear(input, result);
  for (int s = 0; s < input.slate->shown; ++s) {
    const double bid = input.bids[input.slate->order[s]];
    const double price = result.price_per_click[s];
    if (!(price >= 0.0 && price <= bid)) throw std::logic_error("Auction: price outside [0, bid]");
  }
}

const AuctionRegistry& auction_registry() {
  static const AuctionRegistry registry = [] {
    AuctionRegistry r("auction");
    register_second_price(r);
    return r;
  }();
  return registry;
}

}  // namespace marketsim
