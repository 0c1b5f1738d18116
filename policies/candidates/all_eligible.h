// AllEligible: every eligible offer is a candidate.
#pragma once

#include "policies/candidates/candidate_generator.h"

namespace marketsim {

// The trivial stage 1: every offer eligible() admits, in catalog (= id) order. Eligibility
// depends only on the partner, the catalog and which advertisers have budget left, so the list of
// each partner is kept and filtered again only when the market's funding version changes (or the
// market is another one: another catalog or ledger, whose versions count separately).
class AllEligible final : public CandidateGenerator {
 public:
  AllEligible() : CandidateGenerator(EligibleByConstruction{}) {}

 private:
  // One partner's eligible offers, as of a funding version of one catalog and ledger.
  struct Kept {
    const Partner* partner = nullptr;
    const Offer* catalog = nullptr;
    std::size_t catalog_size = 0;
    const double* budgets = nullptr;
    std::uint64_t funding_version = 0;
    std::vector<std::uint32_t> offers;
  };

  void do_generate(const Request& request, const MarketView& market,
                   std::vector<std::uint32_t>& out) override;

  std::vector<Kept> kept_;  // by partner id
};

// Adds "all_eligible" to the registry.
void register_all_eligible(CandidateGeneratorRegistry& registry);

}  // namespace marketsim
