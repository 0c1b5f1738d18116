#include "policies/pacing/no_pacing.h"

namespace marketsim {

void register_no_pacing(PacerRegistry& registry) {
  registry.add({"none", "no pacing: full bids until the daily budget is spent", {}},
               [](const ParamValues&, std::size_t) { return std::make_unique<NoPacing>(); });
}

}  // namespace marketsim
