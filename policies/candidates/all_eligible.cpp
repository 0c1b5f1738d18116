#include "policies/candidates/all_eligible.h"

namespace marketsim {

namespace {

// The offers of the catalog eligible() admits for `request`, into `out`.
void filter(const Request& request, const MarketView& market, std::vector<std::uint32_t>& out) {
  out.resize(market.offers.size());
  std::size_t kept = 0;
  for (const Offer& offer : market.offers) {
    out[kept] = offer.id;
    kept += CandidateGenerator::eligible(request, market, offer) ? 1 : 0;
  }
  out.resize(kept);
}

}  // namespace

void AllEligible::do_generate(const Request& request, const MarketView& market,
                              std::vector<std::uint32_t>& out) {
  if (market.funding_version == 0) {
    filter(request, market, out);
    return;
  }
  const std::uint32_t p = request.partner->id;
  if (kept_.size() <= p) kept_.resize(p + 1);
  Kept& kept = kept_[p];
  if (kept.partner != request.partner || kept.catalog != market.offers.data() ||
      kept.catalog_size != market.offers.size() || kept.budgets != market.budget_remaining.data() ||
      kept.funding_version != market.funding_version) {
    filter(request, market, kept.offers);
    kept.partner = request.partner;
    kept.catalog = market.offers.data();
    kept.catalog_size = market.offers.size();
    kept.budgets = market.budget_remaining.data();
    kept.funding_version = market.funding_version;
  }
  out.assign(kept.offers.begin(), kept.offers.end());
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
