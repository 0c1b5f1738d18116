// CandidateGenerator: the contract checks around every generator, and the built-in registry.
#include "policies/candidates/candidate_generator.h"

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "policies/candidates/all_eligible.h"
#include "policies/candidates/ann.h"
#include "policies/candidates/cheap_model.h"
#include "policies/candidates/collaborative.h"
#include "policies/candidates/content.h"
#include "policies/candidates/popularity.h"
#include "policies/candidates/targeting.h"

namespace marketsim {

void CandidateGenerator::generate(const Request& request, const MarketView& market,
                                  std::vector<std::uint32_t>& out) {
  out.clear();
  do_generate(request, market, out);
  if (eligible_by_construction_) return;
  if (std::adjacent_find(out.begin(), out.end(), std::greater_equal<>()) != out.end()) {
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  for (std::uint32_t id : out)
    if (id >= market.offers.size() || !eligible(request, market, market.offers[id]))
      throw std::logic_error("CandidateGenerator: ineligible candidate");
}

const CandidateGeneratorRegistry& candidate_generator_registry() {
  static const CandidateGeneratorRegistry registry = [] {
    CandidateGeneratorRegistry r("candidate generator");
    register_all_eligible(r);
    register_targeting(r);
    register_content(r);
    register_collaborative(r);
    register_ann(r);
    register_popularity(r);
    register_cheap_model(r);
    return r;
  }();
  return registry;
}

}  // namespace marketsim
