// Vcg: the Vickrey-Clarke-Groves auction over k slots with position CTRs.
#pragma once

#include <vector>

#include "policies/auction/auction.h"

namespace marketsim {

// Slot s (1-based) is clicked with probability theta_s x quality, theta_1 >= theta_2 >= ... the
// position CTRs. The winner in slot s pays its externality on the others, per click:
//   price_s = (1 / (theta_s q_s)) sum_{j = s+1}^{m} (theta_{j-1} - theta_j) score_j,
// over the entries j below it in the slate (the runner-up included), score_j = bid_j x q_j and
// theta_j = 0 beyond the shown slots; floored at the reserve and capped at the bid. On a slate in
// score order this is the welfare the others lose because the winner is there, so truthful bidding
// is dominant; at the same (truthful) bids it charges at most GSP, slot by slot. With
// quality_weighted = false, prices use bids alone (quality taken as 1). A slate that shows more
// slots than `position_ctr` has entries is a std::invalid_argument naming the parameter.
class Vcg final : public Auction {
 public:
  // `position_ctr` must be non-increasing and non-negative.
  Vcg(std::vector<double> position_ctr, bool quality_weighted);

 private:
  void do_clear(const AuctionInput& input, AuctionResult& result) override;

  std::vector<double> theta_;
  bool quality_weighted_;
};

// Adds "vcg" to the registry.
void register_vcg(AuctionRegistry& registry);

}  // namespace marketsim
