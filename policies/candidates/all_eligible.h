// AllEligible: every eligible offer is a candidate.
#pragma once

#include "policies/candidates/candidate_generator.h"

namespace marketsim {

// The trivial stage 1: every offer eligible() admits, in catalog (= id) order.
class AllEligible final : public CandidateGenerator {
 public:
  AllEligible() : CandidateGenerator(EligibleByConstruction{}) {}

 private:
  void do_generate(const Request& request, const MarketView& market,
                   std::vector<std::uint32_t>& out) override;
};

// Adds "all_eligible" to the registry.
void register_all_eligible(CandidateGeneratorRegistry& registry);

}  // namespace marketsim
