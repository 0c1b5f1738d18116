// RankingObjective: stage 2's expected value of showing a candidate, from model predictions.
#pragma once

#include <algorithm>
#include <vector>

#include "agents/advertiser.h"
#include "sim/core/param.h"

namespace marketsim {

// Weights of the ranking objective (section [recommender.objective]). The expected value of an
// impression of candidate i is
//   pCTR_i * ( revenue_weight * money_i + click_weight + user_value_weight * pReturn_i )
// where money_i is what a click is worth in USD: the CPC bid, the CPA bid x pCVR, the CPM bid /
// pCTR, or for a partner's own offer first_party_weight x margin x pCVR; pReturn_i is the
// user-value model's probability that a user who clicked offer i comes back. "Optimize clicks" is
// revenue_weight = 0, click_weight = 1; "optimize long-term value" adds user_value_weight.
struct RankingObjective {
  double revenue_weight = 1;
  double click_weight = 0;
  double first_party_weight = 1;
  double user_value_weight = 0;

  static std::vector<ParamSpec> declare();
  static RankingObjective from(const ParamValues& values);

  // What one click on `offer` is worth in USD to whoever pays or earns, given the predicted (or
  // true) P(click) and P(conversion | click); `bid_multiplier` scales the bid (pacing, bidding).
  static double money_per_click(const Offer& offer, double p_click, double p_conversion,
                                double bid_multiplier = 1.0) {
    constexpr double kMinProbability = 1e-6;  // a CPM bid's pCTR floor
    const double bid = offer.bid * bid_multiplier;
    switch (offer.bid_type) {
      case BidType::kCpc:
        return bid;
      case BidType::kCpa:
        return bid * p_conversion;
      case BidType::kCpm:
        return bid / std::max(p_click, kMinProbability);
      case BidType::kFirstParty:
        return offer.bid * p_conversion;
    }
    return 0;
  }

  // The objective's value of one click on `offer` (the bracket above), given its money per click.
  double value_per_click(const Offer& offer, double money, double p_return) const {
    const double weight =
        offer.bid_type == BidType::kFirstParty ? first_party_weight : revenue_weight;
    return weight * money + click_weight + user_value_weight * p_return;
  }
};

}  // namespace marketsim
