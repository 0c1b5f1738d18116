// Candidate generators that learn from the logs: collaborative filtering learns each segment's
// favourite, popularity decays, the cheap model promotes a clicked offer.
#include <catch2/catch.hpp>

#include <vector>

#include "policies/candidates/collaborative.h"
#include "policies/candidates/popularity.h"
#include "sim/core/rng.h"
#include "tests/policies/candidates_test_market.h"

using namespace marketsim;
using namespace marketsim::testing;

namespace {

// Ten CPC ads of five advertisers with bids 1.0, 0.95, ... (ad 0 bids most), one partner with a
// first-party offer.
TestMarket small_market() {
  RngStream rng(ReplicationKey{2, 0}, "test.candidates.small", 0);
  TestMarket m;
  m.add_partner();
  for (int i = 0; i < 10; ++i)
    m.add_ad(static_cast<std::uint32_t>(i / 2), i % 4, 1.0 - 0.05 * i,
             random_embedding(rng, m.dim));
  m.add_first_party(0, 1, random_embedding(rng, m.dim));
  return m;
}

// `impressions` logged impressions of `offer` for `request`, the first `clicks` of them clicked.
void log(CandidateGenerator& g, const Request& request, std::uint32_t offer, int impressions,
         int clicks) {
  for (int i = 0; i < impressions; ++i) g.learn(request, offer, 0, i < clicks);
}

// The single ad candidate of a k = 1 generator (the first-party offer is id 10).
std::uint32_t top_ad(CandidateGenerator& g, const TestMarket& m, const Request& request) {
  std::vector<std::uint32_t> out;
  g.generate(request, m.view(), out);
  REQUIRE(out.size() == 2);
  REQUIRE(out[1] == 10);
  return out[0];
}

}  // namespace

TEST_CASE("collaborative filtering learns each segment's favourite", "[policies][candidates]") {
  const TestMarket m = small_market();
  Collaborative cf(Collaborative::Params{1, 1, 30, 20}, m.context());
  const Request android = request_at(m, 0, features(0, 1, 2, true, 0));
  const Request ios = request_at(m, 0, features(1, 1, 2, true, 0));
  const Request desktop = request_at(m, 0, features(2, 3, 0, false, 0));
  const Request missing = request_at(m, 0, features(kMissingFeature, 1, 2, true, 0));
  CHECK(top_ad(cf, m, android) == 0);  // cold: prior CTR x bid, and ad 0 bids most
  log(cf, android, 7, 40, 30);
  log(cf, ios, 4, 40, 20);
  log(cf, ios, 7, 40, 0);
  CHECK(top_ad(cf, m, android) == 7);  // 31/71 x 0.65 against the prior's 1/31 x 1.0
  CHECK(top_ad(cf, m, ios) == 4);      // 21/71 x 0.8 against offer 7's 1/71 x 0.65
  // Desktop and requests with a missing device have no logs of their own: they use all segments
  // together, where offer 4 (21/71 x 0.8 = 0.237) beats offer 7 (31/111 x 0.65 = 0.182).
  CHECK(top_ad(cf, m, desktop) == 4);
  CHECK(top_ad(cf, m, missing) == 4);
  log(cf, missing, 2, 40, 30);  // the missing-device segment warms up with a favourite of its own
  CHECK(top_ad(cf, m, missing) == 2);
  CHECK(top_ad(cf, m, ios) == 4);
  CHECK(top_ad(cf, m, android) == 7);
  CHECK(top_ad(cf, m, desktop) == 2);  // 31/71 x 0.9 is now the best over all segments
}

TEST_CASE("popularity decays clicks with the half-life", "[policies][candidates]") {
  const TestMarket m = small_market();
  Popularity popularity(1, 2.0, m.context());
  const RequestFeatures f = features(0, 0, 0, false, 0);
  CHECK(top_ad(popularity, m, request_at(m, 0, f, 0, 0)) == 0);  // cold start: highest bid
  log(popularity, request_at(m, 0, f, 0, 0), 5, 10, 10);
  CHECK(popularity.decayed_clicks(5, hours_to_time(4)) == Approx(2.5));
  CHECK(top_ad(popularity, m, request_at(m, 0, f, 0, 1)) == 5);
  log(popularity, request_at(m, 0, f, 0, 10), 8, 1, 1);  // 10 clicks are 0.3125 five half-lives on
  CHECK(top_ad(popularity, m, request_at(m, 0, f, 0, 10)) == 8);
  // Far in the future the weights are rescaled; ranking and decayed counts are unaffected.
  log(popularity, request_at(m, 0, f, 0, 2000), 3, 2, 2);
  CHECK(popularity.decayed_clicks(3, hours_to_time(2002)) == Approx(1.0));
  CHECK(top_ad(popularity, m, request_at(m, 0, f, 0, 2001)) == 3);
}

TEST_CASE("the cheap model ranks a clicked offer higher", "[policies][candidates]") {
  const TestMarket m = small_market();
  for (const char* model : {"beta", "logistic_laplace"}) {
    INFO(model);
    ParamValues params = generator_params("cheap_model", 1);
    params.set("model", std::string(model));
    auto g = candidate_generator_registry().create("cheap_model", params, m.context());
    const Request request = request_at(m, 0, features(1, 2, 3, false, 2));
    CHECK(top_ad(*g, m, request) == 0);
    for (std::uint32_t offer = 0; offer < 10; ++offer)
      log(*g, request, offer, 50, offer == 6 ? 25 : 0);
    CHECK(top_ad(*g, m, request) == 6);
  }
}
