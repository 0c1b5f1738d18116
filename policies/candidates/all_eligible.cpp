#include "policies/candidates/all_eligible.h"

namespace marketsim {

void AllEligible::do_generate(const Request& request, const MarketView& market,
                              std::vector<std::uint32_t>& out) {
  for (const Offer& offer : market.offers)
    if (eligible(request, market, offer)) out.push_back(offer.id);
}

void register_all_eligible(CandidateGeneratorRegistry& registry) {
  registry.add(
      {"all_eligible",
       "every eligible offer: ads with budget left in categories the partner allows, and "
       "the partner's own offers",
       {}},
      [](const ParamValues&, const CandidateContext&) { return std::make_unique<AllEligible>(); });
}

}  // namespace marketsim
