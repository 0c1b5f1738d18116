// RoasBidder: a ROAS-targeting autobidder for CPA campaigns.
#pragma once

#include <vector>

#include "policies/bidding/bidder.h"

namespace marketsim {

// For each CPA advertiser, once it has spent at least `min_spend`, multiplies its bid multiplier
// at every update by (ROAS / target ROAS)^gain, ROAS = conversion value / spend so far, and clamps
// it to [min_multiplier, max_multiplier]: a campaign earning more than its target bids up, one
// earning less bids down. Other advertisers keep multiplier 1.
class RoasBidder final : public Bidder {
 public:
  RoasBidder(std::size_t advertisers, double gain, double min_spend, double min_multiplier,
             double max_multiplier);

 private:
  void do_update(const BiddingView& view) override;
  double do_multiplier(std::uint32_t advertiser) const override { return multiplier_[advertiser]; }

  std::vector<double> multiplier_;
  double gain_, min_spend_, min_multiplier_, max_multiplier_;
};

// Adds "roas_target" to the registry.
void register_roas_bidder(BidderRegistry& registry);

}  // namespace marketsim
