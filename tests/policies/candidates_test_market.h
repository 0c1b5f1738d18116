// Hand-built and random catalogs, partners and requests for the candidate generator tests.
#pragma once

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "policies/candidates/candidate_generator.h"
#include "policies/observable_offers.h"
#include "sim/core/rng.h"

namespace marketsim::testing {

// A catalog with its partners and budgets, owning everything a MarketView points into.
struct TestMarket {
  int dim = 8;
  int categories = 12;
  std::vector<Partner> partners;
  std::vector<Offer> offers;
  std::vector<double> budgets;  // by advertiser
  std::vector<float> embeddings;
  mutable std::vector<OfferFeatures> observed;  // what context() hands to models

  MarketView view() const { return MarketView{offers, budgets, embeddings, dim}; }

  CandidateContext context(std::size_t users = 100, int regions = 4) const {
    observed = observable_features(offers);
    return CandidateContext{offers.size(), users, dim, regions, observed, ReplicationKey{1, 0}};
  }

  // Adds a partner allowing every category.
  void add_partner() {
    partners.push_back(Partner{static_cast<std::uint32_t>(partners.size()), 0, 100, 3, 0, 0.5, 50,
                               std::vector<std::uint8_t>(categories, 1)});
  }

  // Adds an ad of `advertiser` (budget 100 unless already set) with its own product.
  std::uint32_t add_ad(std::uint32_t advertiser, int category, double bid,
                       const std::vector<float>& embedding, BidType type = BidType::kCpc) {
    if (budgets.size() <= advertiser) budgets.resize(advertiser + 1, 100.0);
    return add(Offer{0, 0, 0, advertiser, kNoPartner, static_cast<std::uint16_t>(category), 0, 0, 0,
                     type, bid},
               embedding);
  }

  // Adds a first-party offer of `partner`.
  std::uint32_t add_first_party(std::uint32_t partner, int category,
                                const std::vector<float>& embedding) {
    return add(Offer{0, 0, 0, kNoAdvertiser, partner, static_cast<std::uint16_t>(category), 0, 0, 0,
                     BidType::kFirstParty, 1.0},
               embedding);
  }

 private:
  std::uint32_t add(Offer offer, const std::vector<float>& embedding) {
    if (static_cast<int>(embedding.size()) != dim) throw std::logic_error("embedding size");
    offer.id = offer.entity = offer.product = static_cast<std::uint32_t>(offers.size());
    offers.push_back(offer);
    embeddings.insert(embeddings.end(), embedding.begin(), embedding.end());
    return offer.id;
  }
};

// A standard normal embedding of `dim` components.
inline std::vector<float> random_embedding(RngStream& rng, int dim) {
  boost::random::normal_distribution<float> normal;
  std::vector<float> e(dim);
  for (float& x : e) x = normal(rng);
  return e;
}

// A random market: `ads` ads of `ads / 3 + 1` advertisers with mixed bid types, `partners`
// partners that each block ~20% of categories and own two first-party offers; ~10% of the
// advertisers are out of budget.
inline TestMarket random_market(RngStream& rng, int ads, int partners, int dim = 8) {
  TestMarket m;
  m.dim = dim;
  boost::random::uniform_01<double> unit;
  boost::random::uniform_int_distribution<int> category(0, m.categories - 1);
  for (int p = 0; p < partners; ++p) {
    m.add_partner();
    for (auto& allowed : m.partners.back().category_allowed) allowed = unit(rng) < 0.8;
  }
  for (int i = 0; i < ads; ++i) {
    const auto type = static_cast<BidType>(boost::random::uniform_int_distribution<int>(0, 2)(rng));
    m.add_ad(static_cast<std::uint32_t>(i / 3), category(rng), 0.05 + unit(rng),
             random_embedding(rng, dim), type);
  }
  for (double& b : m.budgets) b = unit(rng) < 0.1 ? 0.0 : 100.0;
  for (int p = 0; p < partners; ++p)
    for (int f = 0; f < 2; ++f)
      m.add_first_party(static_cast<std::uint32_t>(p), category(rng), random_embedding(rng, dim));
  return m;
}

// Request features with every categorical value given.
inline RequestFeatures features(int device, int region, int age_band, bool returning,
                                int cart_category) {
  return RequestFeatures{static_cast<std::uint8_t>(device),
                         static_cast<std::uint8_t>(region),
                         static_cast<std::uint8_t>(age_band),
                         returning,
                         0,
                         0,
                         static_cast<std::uint16_t>(cart_category)};
}

// A request of `user` on `partner`'s page at `hours` simulated hours.
inline Request request_at(const TestMarket& m, int partner, const RequestFeatures& f,
                          std::uint32_t user = 0, double hours = 0) {
  RequestFeatures g = f;
  g.partner = static_cast<std::uint32_t>(partner);
  return Request{0, hours_to_time(hours), &m.partners[partner], g, user};
}

// The declared defaults of the candidate generator `name`, with `k` set when it has one.
inline ParamValues generator_params(const std::string& name, std::int64_t k) {
  for (const auto& info : candidate_generator_registry().components()) {
    if (info.name != name) continue;
    ParamValues p = defaults_of(info.params);
    if (p.contains("k")) p.set("k", k);
    return p;
  }
  throw std::invalid_argument("no candidate generator " + name);
}

// Builds the generator `name` with its defaults and `k` for market `m`.
inline std::unique_ptr<CandidateGenerator> make_generator(const std::string& name, std::int64_t k,
                                                          const TestMarket& m,
                                                          std::size_t users = 100) {
  return candidate_generator_registry().create(name, generator_params(name, k), m.context(users));
}

// The number of candidates that are ads (not first-party offers).
inline std::size_t ad_count(const TestMarket& m, const std::vector<std::uint32_t>& ids) {
  std::size_t n = 0;
  for (std::uint32_t id : ids) n += m.offers[id].bid_type != BidType::kFirstParty;
  return n;
}

}  // namespace marketsim::testing
