// FixedBidder: every advertiser bids its configured bid.
#pragma once

#include "policies/bidding/bidder.h"

namespace marketsim {

// Multiplier 1 for everyone: bids stay as configured.
class FixedBidder final : public Bidder {
 public:
  bool neutral() const override { return true; }

 private:
  void do_update(const BiddingView&) override {}
  double do_multiplier(std::uint32_t) const override { return 1.0; }
};

// Adds "fixed" to the registry.
void register_fixed_bidder(BidderRegistry& registry);

}  // namespace marketsim
