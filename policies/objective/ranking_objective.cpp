#include "policies/objective/ranking_objective.h"

namespace marketsim {

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

}  // namespace marketsim
