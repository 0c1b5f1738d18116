// Gsp: each slot priced by the score below it, and its registration.
#include "policies/auction/gsp.h"

#include "policies/auction/internal/pricing.h"

namespace marketsim {

using auction_internal::floor_and_cap;
using auction_internal::matching_bid;
using auction_internal::score;
using auction_internal::weight;

void Gsp::do_clear(const AuctionInput& input, AuctionResult& result) {
  const Slate& slate = *input.slate;
  const int ranked = static_cast<int>(slate.order.size());
  for (int s = 0; s < slate.shown; ++s) {
    const int self = slate.order[s];
    const double raw = s + 1 < ranked
                           ? matching_bid(score(input, slate.order[s + 1], quality_weighted_),
                                          weight(input, self, quality_weighted_), input.reserve)
                           : input.reserve;
    result.price_per_click[s] = floor_and_cap(raw, input.reserve, input.bids[self]);
  }
}

void register_gsp(AuctionRegistry& registry) {
  registry.add(
      {"gsp",
       "generalized second price: each slot pays the score below it / own pCTR "
       "(Vickrey with one slot)",
       {auction_internal::quality_weighted_param()}},
      [](const ParamValues& p) { return std::make_unique<Gsp>(p.get_bool("quality_weighted")); });
}

}  // namespace marketsim
