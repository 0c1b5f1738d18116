// SecondPrice: uniform threshold pricing at the runner-up's score, and its registration.
#include "policies/auction/second_price.h"

#include "policies/auction/internal/pricing.h"

namespace marketsim {

using auction_internal::floor_and_cap;
using auction_internal::matching_bid;
using auction_internal::score;
using auction_internal::weight;

void SecondPrice::do_clear(const AuctionInput& input, AuctionResult& result) {
  const Slate& slate = *input.slate;
  const int runner_up = result.runner_up;
  for (int s = 0; s < slate.shown; ++s) {
    const int self = slate.order[s];
    const double raw = runner_up < 0
                           ? input.reserve
                           : matching_bid(score(input, runner_up, quality_weighted_),
                                          weight(input, self, quality_weighted_), input.reserve);
    result.price_per_click[s] = floor_and_cap(raw, input.reserve, input.bids[self]);
  }
}

void register_second_price(AuctionRegistry& registry) {
  registry.add({"second_price",
                "uniform second price: every winner pays the runner-up's score / own pCTR "
                "(Vickrey with one slot)",
                {auction_internal::quality_weighted_param()}},
               [](const ParamValues& p) {
                 return std::make_unique<SecondPrice>(p.get_bool("quality_weighted"));
               });
}

}  // namespace marketsim
