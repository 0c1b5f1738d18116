#include "policies/candidates/all_eligible.h"

namespace marketsim {

void AllEligible::do_generate(const Request& request, const MarketView& market,
                              std::vector<std::uint32_t>& out) {
  for (const Offer& offer : market.offers)
    if (eligible(request, market, offer)) out.push_back(offer.id);
}

void register_all_eligible(CandidateGeneratorRegistry& registry) {
  registry.add(
      {"all_eligible", "every offer with budget left and a bid at or above the reserve", {}},
      [](const ParamValues&) { return std::make_unique<AllEligible>(); });
}

}  // namespace marketsim
