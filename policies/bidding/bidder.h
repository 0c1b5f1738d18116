// Bidder: the advertisers' bidding strategies (bid multipliers set from their results).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "agents/advertiser.h"
#include "sim/core/registry.h"

namespace marketsim {

// What a bidder sees at an update: each advertiser's campaign and its totals so far (USD).
struct BiddingView {
  std::span<const Advertiser> advertisers;
  std::span<const double> spend;
  std::span<const double> conversion_value;
};

// Sets a bid multiplier per advertiser from its results, e.g. to hit a target return on ad
// spend. Updated at every pacing interval; the multiplier scales the advertiser's bids in the
// auction. The base class holds implementations to finite, non-negative multipliers.
class Bidder {
 public:
  virtual ~Bidder() = default;

  void update(const BiddingView& view) { do_update(view); }
  double multiplier(std::uint32_t advertiser) const;

  // True when multiplier() is always 1, so callers may skip asking.
  virtual bool neutral() const { return false; }

 private:
  virtual void do_update(const BiddingView& view) = 0;
  virtual double do_multiplier(std::uint32_t advertiser) const = 0;
};

// Bidders by name. Context: the number of advertisers.
using BidderRegistry = Registry<Bidder, std::size_t>;

// The built-in bidders, registered once.
const BidderRegistry& bidder_registry();

}  // namespace marketsim
