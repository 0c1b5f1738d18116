#include "policies/candidates/all_eligible.h"

namespace marketsim {

void AllEligible::do_generate(const Request& request, const MarketView& market,
                              std::vector<std::uint32_t>& out) {
  out.resize(market.offers.size());
  std::size_t kept = 0;
  for (const Offer& offer : market.offers) {
    out[kept] = offer.id;
    kept += eligible(request, market, offer) ? 1 : 0;
  }
  out.resize(kept);
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
