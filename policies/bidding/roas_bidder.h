// RoasBidder: a ROAS-targeting autobidder for CPA campaigns.
#pragma once

#include <vector>

#include "policies/bidding/bidder.h"

namespace marketsim {

// For each CPA advertiser, multiplies its bid multiplier at every update by
// (recent ROAS / target ROAS)^gain and clamps it to [min_multiplier, max_multiplier]: a campaign
// earning more than its target bids up, one earning less bids down. Recent ROAS = conversion value
// / spend, both exponentially weighted over updates (each update keeps `memory` of the past and
// adds what came since the previous one), so the controller reacts to what its current bids earn
// rather than to the whole history; it starts once the weighted spend reaches `min_spend`. Other
// advertisers keep multiplier 1.
class RoasBidder final : public Bidder {
 public:
  RoasBidder(std::size_t advertisers, double gain, double memory, double min_spend,
             double min_multiplier, double max_multiplier);

 private:
  void do_update(const BiddingView& view) override;
  double do_multiplier(std::uint32_t advertiser) const override { return multiplier_[advertiser]; }

  std::vector<double> multiplier_;
  std::vector<double> last_spend_, last_value_, recent_spend_, recent_value_;
  double gain_, memory_, min_spend_, min_multiplier_, max_multiplier_;
};

// Adds "roas_target" to the registry.
void register_roas_bidder(BidderRegistry& registry);

}  // namespace marketsim
