// Every registered candidate generator: only eligible offers, at most k ads plus all of the
// partner's eligible first-party offers, sorted unique ids, and the same output from two
// instances fed the same requests and logs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <stdexcept>
#include <vector>

#include "policies/candidates/candidate_generator.h"
#include "sim/core/rng.h"
#include "tests/policies/candidates_test_market.h"

using namespace marketsim;
using namespace marketsim::testing;

namespace {

// Random served features; each categorical one is missing 10% of the time.
RequestFeatures random_features(RngStream& rng, int categories) {
  boost::random::uniform_01<double> unit;
  auto pick = [&](int n) {
    return unit(rng) < 0.1 ? int{kMissingFeature}
                           : boost::random::uniform_int_distribution<int>(0, n - 1)(rng);
  };
  RequestFeatures f = features(pick(3), pick(4), pick(4), unit(rng) < 0.5, 0);
  f.cart_category =
      unit(rng) < 0.1 ? kMissingCategory : static_cast<std::uint16_t>(pick(categories) & 0xFF);
  return f;
}

}  // namespace

TEST_CASE("every candidate generator returns eligible offers, k ads and the partner's own",
          "[policies][candidates]") {
  RngStream rng(ReplicationKey{11, 0}, "test.candidates.conformance", 0);
  const TestMarket m = random_market(rng, 120, 3);
  const MarketView market = m.view();
  constexpr std::int64_t k = 5;
  for (const auto& info : candidate_generator_registry().components()) {
    INFO(info.name);
    const bool limited = generator_params(info.name, k).contains("k");
    auto a = make_generator(info.name, k, m, 50);
    auto b = make_generator(info.name, k, m, 50);
    RngStream traffic(ReplicationKey{11, 0}, "test.candidates.traffic", 0);
    boost::random::uniform_01<double> unit;
    std::vector<std::uint32_t> out, twin;
    for (int t = 0; t < 400; ++t) {
      const int partner = boost::random::uniform_int_distribution<int>(0, 2)(traffic);
      const auto user = boost::random::uniform_int_distribution<std::uint32_t>(0, 49)(traffic);
      const Request request =
          request_at(m, partner, random_features(traffic, m.categories), user, t * 0.5);
      REQUIRE_NOTHROW(a->generate(request, market, out));
      b->generate(request, market, twin);
      REQUIRE(out == twin);
      REQUIRE(std::is_sorted(out.begin(), out.end()));
      REQUIRE(std::adjacent_find(out.begin(), out.end()) == out.end());
      for (std::uint32_t id : out)
        REQUIRE(CandidateGenerator::eligible(request, market, m.offers[id]));
      if (limited) REQUIRE(ad_count(m, out) <= static_cast<std::size_t>(k));
      std::size_t eligible_ads = 0;
      for (const Offer& offer : m.offers) {
        if (!CandidateGenerator::eligible(request, market, offer)) continue;
        if (offer.bid_type == BidType::kFirstParty)
          REQUIRE(std::binary_search(out.begin(), out.end(), offer.id));
        else
          ++eligible_ads;
      }
      // Every generator fills its k places when there are k eligible ads.
      const std::size_t expected = limited ? std::min<std::size_t>(k, eligible_ads) : eligible_ads;
      REQUIRE(ad_count(m, out) == expected);
      for (std::uint32_t id : out) {
        const bool clicked = unit(traffic) < 0.3;
        a->learn(request, id, 0, clicked);
        b->learn(request, id, 0, clicked);
      }
    }
  }
}

TEST_CASE("an unknown candidate generator names the valid ones", "[policies][candidates]") {
  RngStream rng(ReplicationKey{1, 0}, "test.candidates.unknown", 0);
  const TestMarket m = random_market(rng, 6, 1);
  try {
    candidate_generator_registry().create("nearest", ParamValues{}, m.context());
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    for (const char* name : {"all_eligible", "targeting", "content", "collaborative", "ann",
                             "popularity", "cheap_model"})
      CHECK(message.find(name) != std::string::npos);
  }
}
