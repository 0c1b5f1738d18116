#include "policies/objective/ranking_objective.h"

#include <algorithm>

namespace marketsim {
namespace {

constexpr double kMinProbability = 1e-6;

}  // namespace

std::vector<ParamSpec> RankingObjective::declare() {
  return {
      ParamSpec::real("revenue_weight", 1, 0, 1e6, "weight of the advertisers' payment"),
      ParamSpec::real("click_weight", 0, 0, 1e6, "value of a click in itself", "USD"),
      ParamSpec::real("first_party_weight", 1, 0, 1e6,
                      "weight of a partner's margin on its own offers"),
      ParamSpec::real("user_value_weight", 0, 0, 1e6,
                      "value of a clicking user's predicted return (long-term value term)", "USD"),
  };
}

RankingObjective RankingObjective::from(const ParamValues& values) {
  return RankingObjective{values.get_real("revenue_weight"), values.get_real("click_weight"),
                          values.get_real("first_party_weight"),
                          values.get_real("user_value_weight")};
}

double RankingObjective::money_per_click(const Offer& offer, double p_click, double p_conversion,
                                         double bid_multiplier) {
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

}  // namespace marketsim
