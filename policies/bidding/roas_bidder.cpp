#include "policies/bidding/roas_bidder.h"

#include <algorithm>
#include <cmath>

#include "sim/core/error.h"

namespace marketsim {

RoasBidder::RoasBidder(std::size_t advertisers, double gain, double memory, double min_spend,
                       double min_multiplier, double max_multiplier)
    : multiplier_(advertisers, 1.0),
      last_spend_(advertisers, 0.0),
      last_value_(advertisers, 0.0),
      recent_spend_(advertisers, 0.0),
      recent_value_(advertisers, 0.0),
      gain_(gain),
      memory_(memory),
      min_spend_(min_spend),
      min_multiplier_(min_multiplier),
      max_multiplier_(max_multiplier) {}

void RoasBidder::do_update(const BiddingView& view) {
  for (const Advertiser& a : view.advertisers) {
    if (a.bid_type != BidType::kCpa) continue;
    recent_spend_[a.id] = memory_ * recent_spend_[a.id] + view.spend[a.id] - last_spend_[a.id];
    recent_value_[a.id] =
        memory_ * recent_value_[a.id] + view.conversion_value[a.id] - last_value_[a.id];
    last_spend_[a.id] = view.spend[a.id];
    last_value_[a.id] = view.conversion_value[a.id];
    if (recent_spend_[a.id] < min_spend_) continue;
    const double roas = recent_value_[a.id] / recent_spend_[a.id];
    const double factor = std::pow(std::max(roas, 1e-3) / a.target_roas, gain_);
    multiplier_[a.id] = std::clamp(multiplier_[a.id] * factor, min_multiplier_, max_multiplier_);
  }
}

void register_roas_bidder(BidderRegistry& registry) {
  registry.add(
      {"roas_target",
       "CPA campaigns scale their bids toward their target return on ad spend",
       {ParamSpec::real("gain", 0.1, 0, 5, "exponent of the (ROAS / target) correction per update"),
        ParamSpec::real("memory", 0.9, 0, 0.9999,
                        "weight of the past in the recent spend and value at each update"),
        ParamSpec::real("min_spend", 20, 0, 1e9, "spend before the bidder starts correcting",
                        "USD"),
        ParamSpec::real("min_multiplier", 0.1, 0, 1, "lowest bid multiplier"),
        ParamSpec::real("max_multiplier", 5, 1, 1e3, "highest bid multiplier")}},
      [](const ParamValues& p, std::size_t advertisers) {
        return std::make_unique<RoasBidder>(advertisers, p.get_real("gain"), p.get_real("memory"),
                                            p.get_real("min_spend"), p.get_real("min_multiplier"),
                                            p.get_real("max_multiplier"));
      });
}

}  // namespace marketsim
