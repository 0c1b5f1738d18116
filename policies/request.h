// Request and MarketView: what a policy knows when it decides what to show.
#pragma once

#include <cstdint>
#include <span>

#include "agents/advertiser.h"
#include "agents/partner.h"
#include "models/request_features.h"
#include "sim/core/sim_time.h"

namespace marketsim {

// One transaction's confirmation page waiting for offers.
struct Request {
  std::uint64_t transaction;  // globally unique id: (partner << 40) | partner's arrival index
  SimTime time;
  const Partner* partner;
  RequestFeatures features;  // as served (possibly skewed)
  std::uint32_t user;        // the user's id (an identifier, not its hidden state)
};

// The market as policies may see it: the catalog (bids, categories, embeddings) and each
// advertiser's remaining budget for the day. No ground truth.
struct MarketView {
  std::span<const Offer> offers;
  std::span<const double> budget_remaining;  // by advertiser, USD
  std::span<const float> embeddings;         // latent_dim per offer (content embeddings)
  int latent_dim = 0;
  // Changes whenever the set of advertisers with budget left may have changed; equal nonzero
  // versions promise the same set (a generator may reuse what it filtered). 0: no promise.
  std::uint64_t funding_version = 0;
};

}  // namespace marketsim
