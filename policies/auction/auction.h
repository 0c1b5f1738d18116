// Auction: prices the slots of a chosen slate.
#pragma once

#include <span>
#include <vector>

#include "policies/exploration/slate.h"
#include "sim/core/registry.h"

namespace marketsim {

// What an auction sees: per candidate its CPC bid and quality (predicted CTR), the slate in slot
// order, and the reserve price per click.
struct AuctionInput {
  std::span<const double> bids;     // USD per click, by candidate
  std::span<const double> quality;  // predicted CTR, by candidate
  const Slate* slate = nullptr;
  double reserve = 0;  // USD per click, finite and >= 0
};

// Cost per click of each shown slot, and the runner-up that set the last slot's price.
struct AuctionResult {
  std::vector<double> price_per_click;  // one per shown slot, USD
  int runner_up = -1;                   // candidate index, -1 when none
};

// Prices the shown slots of a slate. The auction does not rank: the explorer did, by score =
// bid x pCTR, and ties in that ranking are broken by greedy_order (policies/exploration/
// explorer.h): the lower candidate index, i.e. the lower offer id, wins the tie. Auctions read the
// slate as given (an explored slate may put a higher score below a lower one), so equal inputs
// always give equal prices.
//
// The base class records the runner-up (the slate entry after the shown ones, when present) and
// holds every auction to the contract: a price is finite, never negative, never above the winner's
// bid, and at least the reserve whenever the bid reaches the reserve (otherwise exactly the bid).
// A violation is a std::logic_error; a negative or non-finite reserve is a std::invalid_argument.
class Auction {
 public:
  virtual ~Auction() = default;

  // Fills `result` for `input`. Reuses result's storage (no allocation once warm).
  void clear(const AuctionInput& input, AuctionResult& result);

 private:
  // Writes result.price_per_click[s] for every shown slot s (pre-sized, zero-filled).
  virtual void do_clear(const AuctionInput& input, AuctionResult& result) = 0;
};

// Auctions by name. Context: none.
using AuctionRegistry = Registry<Auction>;

// The built-in auctions, registered once: first_price, second_price, gsp, vcg.
const AuctionRegistry& auction_registry();

}  // namespace marketsim
