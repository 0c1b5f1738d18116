// CandidateGenerator: stage 1 of the recommender, cutting the catalog down to candidates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "models/offer_features.h"
#include "policies/request.h"
#include "sim/core/registry.h"
#include "sim/core/rng.h"

namespace marketsim {

// Selects the offers that may be ranked for a request. Implementations must return only eligible
// offers (the base class checks every request's output, unless the generator is eligible by
// construction): an ad whose advertiser has budget left and whose category the partner allows, or
// one of the partner's own first-party offers. The base class sorts the output by offer id.
// Generators that learn from the simulation's own logs (collaborative filtering, popularity, a
// cheap model) override learn(); those with an index rebuild it on their own schedule, from
// request.time.
class CandidateGenerator {
 public:
  virtual ~CandidateGenerator() = default;

  // Replaces `out` with the candidates' offer ids, in increasing order.
  void generate(const Request& request, const MarketView& market, std::vector<std::uint32_t>& out);

  // Learns from one logged impression: `offer` was shown for `request` in `slot` (0 = top) and was
  // or was not clicked.
  virtual void learn(const Request&, std::uint32_t, int, bool) {}

  // True when `offer` may be shown for `request` at all.
  static bool eligible(const Request& request, const MarketView& market, const Offer& offer) {
    if (offer.bid_type == BidType::kFirstParty) return offer.owner_partner == request.partner->id;
    return market.budget_remaining[offer.advertiser] > 0 &&
           request.partner->category_allowed[offer.category] != 0;
  }

 protected:
  CandidateGenerator() = default;
  // For a generator whose output is by construction the eligible offers in increasing order
  // (all_eligible filters the catalog with eligible()): generate() skips its checks, which would
  // only repeat that work for every candidate of every request.
  struct EligibleByConstruction {};
  explicit CandidateGenerator(EligibleByConstruction) : eligible_by_construction_(true) {}

 private:
  virtual void do_generate(const Request& request, const MarketView& market,
                           std::vector<std::uint32_t>& out) = 0;

  bool eligible_by_construction_ = false;
};

// What a candidate generator may size itself by.
struct CandidateContext {
  std::size_t offers = 0;  // catalog size
  std::size_t users = 0;   // population size (user ids are below it)
  int latent_dim = 0;      // dimension of the offers' content embeddings
  int regions = 0;         // user regions (0: unknown, so every region counts as missing)
  std::span<const OfferFeatures> offer_features = {};  // by offer id, for a model; outlives it
  ReplicationKey key = {};                             // keys a model's initial weights
};

// Candidate generators by name. Context: catalog and population sizes.
using CandidateGeneratorRegistry = Registry<CandidateGenerator, const CandidateContext&>;

// The built-in candidate generators, registered once.
const CandidateGeneratorRegistry& candidate_generator_registry();

}  // namespace marketsim
