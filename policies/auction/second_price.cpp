#include "policies/auction/second_price.h"

#include <algorithm>

namespace marketsim {

void SecondPrice::do_clear(const AuctionInput& input, AuctionResult& result) {
  const Slate& slate = *input.slate;
  const int ranked = static_cast<int>(slate.order.size());
  for (int s = 0; s < slate.shown; ++s) {
    const int self = slate.order[s];
    double price = input.reserve;
    if (s + 1 < ranked) {
      const int next = slate.order[s + 1];
      const double q = input.quality[self];
      if (q > 0) price = std::max(price, input.bids[next] * input.quality[next] / q);
    }
    result.price_per_click[s] = std::min(price, input.bids[self]);
  }
  if (slate.shown < ranked) result.runner_up = slate.order[slate.shown];
}

void register_second_price(AuctionRegistry& registry) {
  registry.add({"second_price",
                "quality-weighted second price over k slots (GSP; Vickrey with one slot)",
                {}},
               [](const ParamValues&) { return std::make_unique<SecondPrice>(); });
}

}  // namespace marketsim
