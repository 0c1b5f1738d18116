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
  double reserve = 0;  // USD per click
};

// Cost per click of each shown slot, and the runner-up that set the last slot's price.
struct AuctionResult {
  std::vector<double> price_per_click;  // one per shown slot, USD
  int runner_up = -1;                   // candidate index, -1 when none
};

// Prices the shown slots. The base class holds every auction to the contract: a price is at least
// the reserve (or the bid, if lower), never above the winner's bid, never negative.
class Auction {
 public:
  virtual ~Auction() = default;

  void clear(const AuctionInput& input, AuctionResult& result);

 private:
  virtual void do_clear(const AuctionInput& input, AuctionResult& result) = 0;
};

// Auctions by name. Context: none.
using AuctionRegistry = Registry<Auction>;

// The built-in auctions, registered once.
const AuctionRegistry& auction_registry();

}  // namespace marketsim
