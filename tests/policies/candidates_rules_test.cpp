// Rule-based candidate generators: targeting (device, region, cap per advertiser, top bids) and
// content filtering (cart category first, then cosine to its centroid; bids without a cart).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "policies/candidates/content.h"
#include "policies/candidates/targeting.h"
#include "sim/core/rng.h"
#include "tests/policies/candidates_test_market.h"

using namespace marketsim;
using namespace marketsim::testing;

namespace {

// The eligible ads of the catalog for `request`, best first by `better`.
template <typename Better>
std::vector<std::uint32_t> ranked_ads(const TestMarket& m, const Request& request, Better better) {
  std::vector<std::uint32_t> ads;
  for (const Offer& o : m.offers)
    if (o.bid_type != BidType::kFirstParty && CandidateGenerator::eligible(request, m.view(), o))
      ads.push_back(o.id);
  std::sort(ads.begin(), ads.end(), better);
  return ads;
}

// The ads among `ids` (first-party offers dropped).
std::vector<std::uint32_t> ads_of(const TestMarket& m, const std::vector<std::uint32_t>& ids) {
  std::vector<std::uint32_t> ads;
  for (std::uint32_t id : ids)
    if (m.offers[id].bid_type != BidType::kFirstParty) ads.push_back(id);
  return ads;
}

}  // namespace

TEST_CASE("targeting keeps the top bids of matching advertisers, capped per advertiser",
          "[policies][candidates]") {
  RngStream rng(ReplicationKey{5, 0}, "test.candidates.targeting", 0);
  const TestMarket m = random_market(rng, 150, 2);
  const Targeting::Params params{8, 1, 0.5, 0.5};
  Targeting targeting(params, m.context());
  int restricted = 0;
  for (std::uint32_t a = 0; a < m.budgets.size(); ++a) {
    int devices = 0;
    for (int d = 0; d < 3; ++d)
      for (int r = 0; r < 4; ++r) devices += targeting.targets(a, features(d, r, 0, false, 0));
    restricted += devices < 12;
    // A restricted advertiser never matches a request whose device or region is missing.
    if (devices < 12)
      CHECK_FALSE(targeting.targets(a, features(kMissingFeature, kMissingFeature, 0, false, 0)));
  }
  // 50 advertisers, each restricted by device or region with probability 3/4 (mean 37.5, sd 3):
  // the hash must restrict some and spare some.
  CHECK(restricted > 10);
  CHECK(restricted < 45);
  std::vector<std::uint32_t> out;
  for (int d = 0; d < 3; ++d) {
    const Request request = request_at(m, d % 2, features(d, d + 1, 1, true, 0));
    targeting.generate(request, m.view(), out);
    // Expected: bids descending (ties lower id) among matching ads, one per advertiser.
    std::vector<std::uint32_t> expected;
    std::map<std::uint32_t, int> per_advertiser;
    for (std::uint32_t id : ranked_ads(m, request, [&](std::uint32_t x, std::uint32_t y) {
           return m.offers[x].bid != m.offers[y].bid ? m.offers[x].bid > m.offers[y].bid : x < y;
         })) {
      const Offer& o = m.offers[id];
      if (expected.size() == 8 || !targeting.targets(o.advertiser, request.features)) continue;
      if (per_advertiser[o.advertiser]++ == 0) expected.push_back(id);
    }
    std::sort(expected.begin(), expected.end());
    CHECK(ads_of(m, out) == expected);
  }
}

TEST_CASE("content ranks the cart's category first, then by cosine to its centroid",
          "[policies][candidates]") {
  RngStream rng(ReplicationKey{6, 0}, "test.candidates.content", 0);
  TestMarket m = random_market(rng, 200, 1);
  Content content(30, m.context());
  std::vector<std::uint32_t> out;
  const int cart = 3;
  const Request request = request_at(m, 0, features(0, 0, 0, false, cart));
  m.partners[0].category_allowed[cart] = 1;
  // The centroid of every catalog entry of the cart's category.
  std::vector<double> centroid(m.dim, 0.0);
  for (const Offer& o : m.offers)
    if (o.category == cart)
      for (int i = 0; i < m.dim; ++i) centroid[i] += m.embeddings[o.id * m.dim + i];
  auto cosine = [&](std::uint32_t id) {
    double dot = 0, a = 0, b = 0;
    for (int i = 0; i < m.dim; ++i) {
      const double x = m.embeddings[id * m.dim + i];
      dot += x * centroid[i];
      a += x * x;
      b += centroid[i] * centroid[i];
    }
    return dot / std::sqrt(a * b);
  };
  auto key = [&](std::uint32_t id) { return (m.offers[id].category == cart ? 2 : 0) + cosine(id); };
  content.generate(request, m.view(), out);
  std::vector<std::uint32_t> expected =
      ranked_ads(m, request, [&](std::uint32_t x, std::uint32_t y) { return key(x) > key(y); });
  REQUIRE(expected.size() > 30);
  REQUIRE(m.offers[expected[0]].category == cart);
  expected.resize(30);
  std::sort(expected.begin(), expected.end());
  CHECK(ads_of(m, out) == expected);

  Content few(2, m.context());
  few.generate(request, m.view(), out);
  for (std::uint32_t id : ads_of(m, out)) CHECK(m.offers[id].category == cart);

  RequestFeatures no_cart = request.features;
  no_cart.cart_category = kMissingCategory;
  const Request missing{0, 0, &m.partners[0], no_cart, 0};
  content.generate(missing, m.view(), out);
  expected = ranked_ads(m, missing, [&](std::uint32_t x, std::uint32_t y) {
    return m.offers[x].bid != m.offers[y].bid ? m.offers[x].bid > m.offers[y].bid : x < y;
  });
  expected.resize(30);
  std::sort(expected.begin(), expected.end());
  CHECK(ads_of(m, out) == expected);
}

TEST_CASE("all_eligible keeps each partner's list until the funding version or ledger changes",
          "[policies][candidates]") {
  // Three advertisers' ads and a first-party offer on two partners; partner 1 blocks category 2.
  // With a nonzero version the list of a partner is reused while the version stays (the market
  // promises the same funded advertisers), and filtered again once it changes; version 0 filters
  // every time; every list equals the catalog filtered by eligible() at the version it came from.
  TestMarket m;
  m.add_partner();
  m.add_partner();
  m.partners[1].category_allowed[2] = 0;
  const std::vector<float> embedding(static_cast<std::size_t>(m.dim), 0.5f);
  for (std::uint32_t a = 0; a < 3; ++a) m.add_ad(a, static_cast<int>(a), 1.0, embedding);
  m.add_first_party(0, 0, embedding);
  auto generator = make_generator("all_eligible", 0, m);
  const auto eligible_now = [&](int partner) {
    const Request request = request_at(m, partner, features(0, 0, 0, false, 0));
    std::vector<std::uint32_t> ids;
    for (const Offer& o : m.offers)
      if (CandidateGenerator::eligible(request, m.view(), o)) ids.push_back(o.id);
    return ids;
  };
  const auto generate = [&](int partner, std::uint64_t version) {
    MarketView market = m.view();
    market.funding_version = version;
    std::vector<std::uint32_t> out;
    generator->generate(request_at(m, partner, features(0, 0, 0, false, 0)), market, out);
    return out;
  };
  const std::vector<std::uint32_t> day_start_0 = eligible_now(0), day_start_1 = eligible_now(1);
  CHECK(day_start_0 == std::vector<std::uint32_t>{0, 1, 2, 3});
  CHECK(day_start_1 == std::vector<std::uint32_t>{0, 1});
  CHECK(generate(0, 1) == day_start_0);
  CHECK(generate(1, 1) == day_start_1);
  m.budgets[1] = 0;  // advertiser 1 spent out; the version still promises the old set
  CHECK(generate(0, 1) == day_start_0);
  CHECK(generate(0, 0) == eligible_now(0));
  CHECK(generate(0, 2) == eligible_now(0));
  CHECK(generate(0, 2) == std::vector<std::uint32_t>{0, 2, 3});
  CHECK(generate(1, 2) == std::vector<std::uint32_t>{0});
  // Another ledger (another cell's budgets) at the same version counts its versions separately.
  std::vector<double> other_ledger(m.budgets.size(), 1.0);
  other_ledger[0] = 0;
  MarketView other = m.view();
  other.budget_remaining = other_ledger;
  other.funding_version = 2;
  std::vector<std::uint32_t> out;
  generator->generate(request_at(m, 0, features(0, 0, 0, false, 0)), other, out);
  CHECK(out == std::vector<std::uint32_t>{1, 2, 3});
}
