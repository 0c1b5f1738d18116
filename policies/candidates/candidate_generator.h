// CandidateGenerator: stage 1 of the recommender, cutting the catalog down to candidates.
#pragma once

#include <cstdint>
#include <vector>

#include "policies/request.h"
#include "sim/core/registry.h"

namespace marketsim {

// Selects the offers that may be ranked for a request. Implementations must return only offers
// that are eligible: advertiser budget left and CPC bid at least the partner's reserve price
// (the base class enforces this). Output is in increasing offer id.
class CandidateGenerator {
 public:
  virtual ~CandidateGenerator() = default;

  // Replaces `out` with the candidates' offer ids.
  void generate(const Request& request, const MarketView& market, std::vector<std::uint32_t>& out);

  // True when `offer` may be shown for `request` at all.
  static bool eligible(const Request& request, const MarketView& market, const Offer& offer) {
    return market.budget_remaining[offer.advertiser] > 0 &&
           offer.cpc_bid >= request.partner->reserve_price;
  }

 private:
  virtual void do_generate(const Request& request, const MarketView& market,
                           std::vector<std::uint32_t>& out) = 0;
};

// Candidate generators by name. Context: none.
using CandidateGeneratorRegistry = Registry<CandidateGenerator>;

// The built-in candidate generators, registered once.
const CandidateGeneratorRegistry& candidate_generator_registry();

}  // namespace marketsim
