// CandidateGenerator: stage 1 of the recommender, cutting the catalog down to candidates.
#pragma once

#include <cstdint>
#include <vector>

#include "policies/request.h"
#include "sim/core/registry.h"

namespace marketsim {

// Selects the offers that may be ranked for a request. Implementations must return only eligible
// offers (the base class enforces this): an ad whose advertiser has budget left and whose category
// the partner allows, or one of the partner's own first-party offers. Output is in increasing
// offer id.
class CandidateGenerator {
 public:
  virtual ~CandidateGenerator() = default;

  // Replaces `out` with the candidates' offer ids.
  void generate(const Request& request, const MarketView& market, std::vector<std::uint32_t>& out);

  // True when `offer` may be shown for `request` at all.
  static bool eligible(const Request& request, const MarketView& market, const Offer& offer) {
    if (offer.bid_type == BidType::kFirstParty) return offer.owner_partner == request.partner->id;
    return market.budget_remaining[offer.advertiser] > 0 &&
           request.partner->category_allowed[offer.category] != 0;
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
