// Auctions on hand-worked cases: first price, uniform second price, GSP and VCG.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "policies/auction/auction.h"
#include "policies/exploration/explorer.h"
#include "sim/core/error.h"

using namespace marketsim;

namespace {

// The registered defaults of `name`, with quality weighting switched as asked (where declared).
ParamValues params_of(const std::string& name, bool quality_weighted = true) {
  for (const auto& info : auction_registry().components()) {
    if (info.name != name) continue;
    ParamValues p = defaults_of(info.params);
    if (p.contains("quality_weighted"))
      p.set("quality_weighted", ParamValue{std::in_place_type<bool>, quality_weighted});
    return p;
  }
  return {};
}

AuctionResult clear(const std::string& name, const std::vector<double>& bids,
                    const std::vector<double>& quality, const std::vector<int>& order, int shown,
                    double reserve, bool quality_weighted = true) {
  Slate slate;
  slate.order = order;
  slate.shown = shown;
  auto auction = auction_registry().create(name, params_of(name, quality_weighted));
  AuctionResult result;
  auction->clear(AuctionInput{bids, quality, &slate, reserve}, result);
  return result;
}

void check_prices(const AuctionResult& r, const std::vector<double>& expected) {
  REQUIRE(r.price_per_click.size() == expected.size());
  for (std::size_t s = 0; s < expected.size(); ++s) {
    INFO("slot " << s);
    CHECK(r.price_per_click[s] == Approx(expected[s]));
  }
}

// The running example: bids 2.0, 1.0, 4.0, 0.5 ; pCTR 0.10, 0.30, 0.04, 0.20
// scores 0.20, 0.30, 0.16, 0.10 -> slate 1, 0, 2 | runner-up 3 ; reserve 0.05
const std::vector<double> kBids{2.0, 1.0, 4.0, 0.5};
const std::vector<double> kQuality{0.10, 0.30, 0.04, 0.20};
const std::vector<int> kOrder{1, 0, 2, 3};

}  // namespace

TEST_CASE("first price: each winner pays its own bid", "[policies][auction]") {
  const auto r = clear("first_price", kBids, kQuality, kOrder, 3, 0.05);
  check_prices(r, {1.0, 2.0, 4.0});
  CHECK(r.runner_up == 3);
}

TEST_CASE("second price: every winner pays the runner-up's score over its own pCTR",
          "[policies][auction]") {
  // runner-up score 0.10: slot 0 (cand 1) 0.10 / 0.30 = 0.3333 ; slot 1 (cand 0) 0.10 / 0.10 = 1
  // slot 2 (cand 2) 0.10 / 0.04 = 2.5
  const auto r = clear("second_price", kBids, kQuality, kOrder, 3, 0.05);
  check_prices(r, {0.1 / 0.3, 1.0, 2.5});
  CHECK(r.runner_up == 3);
  // One slot, equal quality: Vickrey, the winner pays the second bid.
  check_prices(clear("second_price", {1.0, 3.0, 2.0}, {0.1, 0.1, 0.1}, {1, 2}, 1, 0.5), {2.0});
}

TEST_CASE("GSP: each slot pays the score below it over its own pCTR", "[policies][auction]") {
  // slot 0 (cand 1): 0.20 / 0.30 = 0.6667 ; slot 1 (cand 0): 0.16 / 0.10 = 1.6
  // slot 2 (cand 2): 0.10 / 0.04 = 2.5
  const auto r = clear("gsp", kBids, kQuality, kOrder, 3, 0.05);
  check_prices(r, {0.2 / 0.3, 1.6, 2.5});
  CHECK(r.runner_up == 3);
}

TEST_CASE("VCG: each slot pays its externality per click", "[policies][auction]") {
  // theta = 1, 0.7, 0.5 (defaults), 0 below ; scores below: 0.20, 0.16 | 0.10
  // slot 0 (cand 1, q 0.3): (0.3 x 0.20 + 0.2 x 0.16 + 0.5 x 0.10) / (1 x 0.3)
  //                       = (0.06 + 0.032 + 0.05) / 0.3 = 0.47333
  // slot 1 (cand 0, q 0.1): (0.032 + 0.05) / (0.7 x 0.1) = 0.082 / 0.07 = 1.171429
  // slot 2 (cand 2, q 0.04): 0.05 / (0.5 x 0.04) = 2.5
  const auto r = clear("vcg", kBids, kQuality, kOrder, 3, 0.05);
  check_prices(r, {0.142 / 0.3, 0.082 / 0.07, 2.5});
  CHECK(r.runner_up == 3);
}

TEST_CASE("without a runner-up the last slot pays the reserve", "[policies][auction]") {
  // slate 1, 0, 2 with nothing below ; reserve 0.05
  check_prices(clear("first_price", kBids, kQuality, {1, 0, 2}, 3, 0.05), {1.0, 2.0, 4.0});
  check_prices(clear("second_price", kBids, kQuality, {1, 0, 2}, 3, 0.05), {0.05, 0.05, 0.05});
  check_prices(clear("gsp", kBids, kQuality, {1, 0, 2}, 3, 0.05), {0.2 / 0.3, 1.6, 0.05});
  // VCG slot 0: (0.06 + 0.032) / 0.3 = 0.30667 ; slot 1: 0.032 / 0.07 = 0.457143 ; slot 2: none
  check_prices(clear("vcg", kBids, kQuality, {1, 0, 2}, 3, 0.05),
               {0.092 / 0.3, 0.032 / 0.07, 0.05});
  CHECK(clear("gsp", kBids, kQuality, {1, 0, 2}, 3, 0.05).runner_up == -1);
  // Alone: pays the reserve.
  check_prices(clear("second_price", {1.0}, {0.1}, {0}, 1, 0.3), {0.3});
}

TEST_CASE("the reserve is a floor", "[policies][auction]") {
  // reserve 0.8 lifts only the prices below it (bids 1.0, 2.0, 4.0 allow it)
  check_prices(clear("first_price", kBids, kQuality, kOrder, 3, 0.8), {1.0, 2.0, 4.0});
  check_prices(clear("second_price", kBids, kQuality, kOrder, 3, 0.8), {0.8, 1.0, 2.5});
  check_prices(clear("gsp", kBids, kQuality, kOrder, 3, 0.8), {0.8, 1.6, 2.5});
  check_prices(clear("vcg", kBids, kQuality, kOrder, 3, 0.8), {0.8, 0.082 / 0.07, 2.5});
}

TEST_CASE("the bid is a cap", "[policies][auction]") {
  // An explored slate can put a higher score below: 2.0 x 0.1 / 0.1 = 2.0 > bid 0.5.
  for (const auto* name : {"first_price", "second_price", "gsp", "vcg"}) {
    INFO(name);
    check_prices(clear(name, {0.5, 2.0}, {0.1, 0.1}, {0, 1}, 1, 0.05), {0.5});
    // A bid below the reserve pays its bid, never more.
    check_prices(clear(name, {0.2}, {0.1}, {0}, 1, 0.3), {0.2});
  }
}

TEST_CASE("quality_weighted = false prices on bids alone", "[policies][auction]") {
  // bids 3, 2, 1 | 0.5 in slate order 0, 1, 2 | 3 ; pCTRs ignored
  const std::vector<double> bids{3.0, 2.0, 1.0, 0.5}, quality{0.1, 0.2, 0.3, 0.4};
  const std::vector<int> order{0, 1, 2, 3};
  check_prices(clear("second_price", bids, quality, order, 3, 0, false), {0.5, 0.5, 0.5});
  check_prices(clear("gsp", bids, quality, order, 3, 0, false), {2.0, 1.0, 0.5});
  // VCG slot 0: 0.3 x 2 + 0.2 x 1 + 0.5 x 0.5 = 1.05 ; slot 1: (0.2 + 0.25) / 0.7 = 0.642857
  // slot 2: 0.25 / 0.5 = 0.5
  check_prices(clear("vcg", bids, quality, order, 3, 0, false), {1.05, 0.45 / 0.7, 0.5});
}

TEST_CASE("ties go to the lower index and every auction prices them deterministically",
          "[policies][auction]") {
  // bids 1, 2, 1 ; pCTR 0.2, 0.1, 0.2 -> every score is 0.2: greedy order 0, 1 | 2.
  const std::vector<double> bids{1.0, 2.0, 1.0}, quality{0.2, 0.1, 0.2};
  const std::vector<double> scores{0.2, 0.2, 0.2};
  Slate slate;
  greedy_order(scores, 3, slate.order);
  slate.shown = 2;
  REQUIRE(slate.order == std::vector<int>{0, 1, 2});
  for (const auto& name : auction_registry().names()) {
    INFO(name);
    // A full tie leaves every winner exactly at its bid (0.2 / 0.2 = 1, 0.2 / 0.1 = 2); VCG:
    // (0.3 x 0.2 + 0.7 x 0.2) / 0.2 = 1 and 0.7 x 0.2 / 0.07 = 2.
    AuctionResult first, again;
    auction_registry().create(name, params_of(name))->clear({bids, quality, &slate, 0}, first);
    auction_registry().create(name, params_of(name))->clear({bids, quality, &slate, 0}, again);
    check_prices(first, {1.0, 2.0});
    CHECK(first.price_per_click == again.price_per_click);
    CHECK(first.runner_up == 2);
  }
}

TEST_CASE("VCG needs a position CTR per shown slot, non-increasing", "[policies][auction]") {
  ParamValues p = params_of("vcg");
  p.set("position_ctr", std::vector<double>{1.0, 0.5});
  auto vcg = auction_registry().create("vcg", p);
  Slate slate;
  slate.order = {1, 0, 2, 3};
  slate.shown = 3;
  AuctionResult r;
  CHECK_THROWS_AS(vcg->clear({kBids, kQuality, &slate, 0}, r), std::invalid_argument);
  CHECK_THROWS_WITH(vcg->clear({kBids, kQuality, &slate, 0}, r), Catch::Contains("position_ctr"));
  p.set("position_ctr", std::vector<double>{0.5, 1.0});
  CHECK_THROWS_AS(auction_registry().create("vcg", p), UsageError);
  CHECK_THROWS_WITH(auction_registry().create("vcg", p), Catch::Contains("position_ctr"));
}

TEST_CASE("a negative reserve is rejected", "[policies][auction]") {
  CHECK_THROWS_AS(clear("gsp", kBids, kQuality, kOrder, 3, -0.1), std::invalid_argument);
}

TEST_CASE("an unknown auction name lists the valid ones", "[policies][auction]") {
  CHECK_THROWS_WITH(auction_registry().create("first_prise", ParamValues{}),
                    Catch::Contains("first_price") && Catch::Contains("gsp") &&
                        Catch::Contains("vcg") && Catch::Contains("second_price"));
}
