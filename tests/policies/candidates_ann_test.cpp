// The ann generator: user embeddings learned from clicks, HNSW recall against brute force,
// eligibility filtering with a widened query, cold start by bid, determinism.
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <vector>

#include "policies/candidates/ann.h"
#include "sim/core/rng.h"
#include "tests/policies/candidates_test_market.h"

using namespace marketsim;
using namespace marketsim::testing;

namespace {

constexpr int kK = 20;

// The k eligible ads with the largest inner product with `q` (exact), as sorted ids.
std::vector<std::uint32_t> brute_force(const TestMarket& m, const Request& request,
                                       std::span<const float> q) {
  std::vector<std::pair<double, std::uint32_t>> scored;
  for (const Offer& o : m.offers) {
    if (o.bid_type == BidType::kFirstParty || !CandidateGenerator::eligible(request, m.view(), o))
      continue;
    double dot = 0;
    for (int i = 0; i < m.dim; ++i) dot += q[i] * m.embeddings[o.id * m.dim + i];
    scored.push_back({-dot, o.id});
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::uint32_t> ids;
  for (std::size_t i = 0; i < scored.size() && ids.size() < kK; ++i)
    ids.push_back(scored[i].second);
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Share of `truth` found in `found`.
double recall(const std::vector<std::uint32_t>& truth, const std::vector<std::uint32_t>& found) {
  std::size_t hits = 0;
  for (std::uint32_t id : truth) hits += std::binary_search(found.begin(), found.end(), id);
  return static_cast<double>(hits) / static_cast<double>(truth.size());
}

// Mean recall@k over 50 users who each clicked 3 random offers, for partner `partner`.
double mean_recall(Ann& ann, const TestMarket& m, int partner) {
  RngStream rng(ReplicationKey{9, 0}, "test.candidates.ann.users", 0);
  boost::random::uniform_int_distribution<std::uint32_t> offer(0, m.offers.size() - 1);
  std::vector<std::uint32_t> out;
  double total = 0;
  for (std::uint32_t user = 0; user < 50; ++user) {
    const Request request = request_at(m, partner, features(0, 0, 0, false, 0), user, 1.0);
    ann.generate(request, m.view(), out);  // builds the index before the first click
    for (int c = 0; c < 3; ++c) ann.learn(request, offer(rng), 0, true);
    ann.generate(request, m.view(), out);
    std::vector<std::uint32_t> ads;
    for (std::uint32_t id : out)
      if (m.offers[id].bid_type != BidType::kFirstParty) ads.push_back(id);
    REQUIRE(ads.size() == kK);
    total += recall(brute_force(m, request, ann.query(request)), ads);
  }
  return total / 50;
}

}  // namespace

TEST_CASE("ann finds the nearest ads to a user embedding learned from clicks",
          "[policies][candidates]") {
  RngStream rng(ReplicationKey{8, 0}, "test.candidates.ann", 0);
  TestMarket m = random_market(rng, 2000, 2);
  for (double& b : m.budgets) b = 100;
  for (auto& allowed : m.partners[0].category_allowed) allowed = 1;
  for (auto& allowed : m.partners[1].category_allowed) allowed = 0;
  m.partners[1].category_allowed[4] = 1;  // about 1 ad in 12: the query must widen
  const Ann::Params params{kK, 16, 200, 64, 24, 0.2, 0.01};

  SECTION("the user embedding is a moving average of the clicked offers' embeddings") {
    Ann ann(params, m.context());
    const Request request = request_at(m, 0, features(1, 2, 3, true, 0), 7);
    std::vector<std::uint32_t> out;
    ann.generate(request, m.view(), out);
    CHECK(ann.query(request).empty());  // no click yet: cold start by bid
    ann.learn(request, 10, 0, true);
    ann.learn(request, 11, 0, false);
    ann.learn(request, 12, 0, true);
    const std::span<const float> u = ann.query(request);
    REQUIRE(u.size() == static_cast<std::size_t>(m.dim));
    for (int i = 0; i < m.dim; ++i)
      CHECK(u[i] ==
            Approx(0.8 * m.embeddings[10 * m.dim + i] + 0.2 * m.embeddings[12 * m.dim + i]));
    // Another user of the same segment queries with the segment's embedding.
    const Request other = request_at(m, 0, features(1, 2, 3, true, 0), 8);
    CHECK(ann.query(other)[0] ==
          Approx(0.99 * m.embeddings[10 * m.dim] + 0.01 * m.embeddings[12 * m.dim]));
  }

  SECTION("recall@k against brute force, with all ads eligible and with few") {
    Ann ann(params, m.context());
    CHECK(mean_recall(ann, m, 0) >= 0.9);
    Ann filtered(params, m.context());
    CHECK(mean_recall(filtered, m, 1) >= 0.9);
  }

  SECTION("two constructions give the same candidates") {
    Ann a(params, m.context()), b(params, m.context());
    RngStream clicks(ReplicationKey{9, 1}, "test.candidates.ann.clicks", 0);
    boost::random::uniform_int_distribution<std::uint32_t> offer(0, m.offers.size() - 1);
    std::vector<std::uint32_t> out_a, out_b;
    for (int t = 0; t < 200; ++t) {
      const Request request = request_at(m, t % 2, features(t % 3, t % 4, 0, false, 0),
                                         static_cast<std::uint32_t>(t % 30), t * 0.5);
      a.generate(request, m.view(), out_a);
      b.generate(request, m.view(), out_b);
      REQUIRE(out_a == out_b);
      const std::uint32_t clicked = offer(clicks);
      a.learn(request, clicked, 0, true);
      b.learn(request, clicked, 0, true);
    }
  }
}
