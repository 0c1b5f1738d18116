#include "policies/candidates/candidate_generator.h"

#include <stdexcept>

#include "policies/candidates/all_eligible.h"

namespace marketsim {

void CandidateGenerator::generate(const Request& request, const MarketView& market,
                                  std::vector<std::uint32_t>& out) {
  out.clear();
  do_generate(request, market, out);
  for (std::uint32_t id : out)
    if (id >= market.offers.size() || !eligible(request, market, market.offers[id]))
      throw std::logic_error("CandidateGenerator: ineligible candidate");
}

const CandidateGeneratorRegistry& candidate_generator_registry() {
  static const CandidateGeneratorRegistry registry = [] {
    CandidateGeneratorRegistry r("candidate generator");
    register_all_eligible(r);
    return r;
  }();
  return registry;
}

}  // namespace marketsim
