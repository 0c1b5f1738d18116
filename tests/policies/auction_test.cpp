// Second-price auction: hand-worked cases and revenue against the closed form.
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <vector>

#include "policies/auction/auction.h"
#include "policies/exploration/explorer.h"
#include "sim/core/rng.h"

using namespace marketsim;

namespace {

AuctionResult clear(const std::string& name, const std::vector<double>& bids,
                    const std::vector<double>& quality, const std::vector<int>& order, int shown,
                    double reserve) {
  Slate slate;
  slate.order = order;
  slate.shown = shown;
  auto auction = auction_registry().create(name, ParamValues{});
  AuctionResult result;
  auction->clear(AuctionInput{bids, quality, &slate, reserve}, result);
  return result;
}

}  // namespace

TEST_CASE("second price, one slot, equal quality: the winner pays the second bid",
          "[policies][auction]") {
  const auto r = clear("second_price", {1.0, 3.0, 2.0}, {0.1, 0.1, 0.1}, {1, 2}, 1, 0.5);
  REQUIRE(r.price_per_click.size() == 1);
  CHECK(r.price_per_click[0] == Approx(2.0));
  CHECK(r.runner_up == 2);
}

TEST_CASE("second price over three slots with quality weighting (GSP), worked by hand",
          "[policies][auction]") {
  // bids 2.0, 1.0, 4.0, 0.5 ; pCTR 0.10, 0.30, 0.04, 0.20
  // scores 0.20, 0.30, 0.16, 0.10 -> order 1, 0, 2 | runner-up 3
  // slot 0 (cand 1): 0.20 / 0.30 = 0.6667 ; slot 1 (cand 0): 0.16 / 0.10 = 1.6
  // slot 2 (cand 2): 0.10 / 0.04 = 2.5
  const auto r =
      clear("second_price", {2.0, 1.0, 4.0, 0.5}, {0.10, 0.30, 0.04, 0.20}, {1, 0, 2, 3}, 3, 0.05);
  REQUIRE(r.price_per_click.size() == 3);
  CHECK(r.price_per_click[0] == Approx(0.2 / 0.3));
  CHECK(r.price_per_click[1] == Approx(1.6));
  CHECK(r.price_per_click[2] == Approx(2.5));
  CHECK(r.runner_up == 3);
}

TEST_CASE("the reserve is a floor and the bid a cap", "[policies][auction]") {
  // Alone: pays the reserve.
  auto r = clear("second_price", {1.0}, {0.1}, {0}, 1, 0.3);
  CHECK(r.price_per_click[0] == Approx(0.3));
  CHECK(r.runner_up == -1);
  // An explored slate can put a higher score below: the price is capped at the bid.
  r = clear("second_price", {0.5, 2.0}, {0.1, 0.1}, {0, 1}, 1, 0.05);
  CHECK(r.price_per_click[0] == Approx(0.5));
}

TEST_CASE("second-price revenue with truthful i.i.d. uniform bidders matches theory",
          "[policies][auction][statistics]") {
  // n bidders with values ~ U[0, 1] bid truthfully; only values >= reserve r enter. Expected
  // revenue (Myerson): E[R] = 2n(1 - r^(n+1))/(n+1) - (1 - r^n). Checked within 4 standard
  // errors of the Monte Carlo mean (false-alarm rate ~6e-5 per case).
  for (const auto& [n, r] :
       std::vector<std::pair<int, double>>{{2, 0.0}, {3, 0.0}, {5, 0.3}, {4, 0.5}}) {
    RngStream rng(ReplicationKey{11, static_cast<std::uint64_t>(n)}, "test.values", 0);
    boost::random::uniform_01<double> unit;
    auto greedy = explorer_registry().create("greedy", ParamValues{});
    auto auction = auction_registry().create("second_price", ParamValues{});
    const int trials = 200000;
    double sum = 0, sum_sq = 0;
    std::vector<double> bids, quality;
    Slate slate;
    AuctionResult result;
    for (int t = 0; t < trials; ++t) {
      bids.clear();
      for (int i = 0; i < n; ++i) {
        const double v = unit(rng);
        if (v >= r) bids.push_back(v);
      }
      double revenue = 0;
      if (!bids.empty()) {
        quality.assign(bids.size(), 1.0);
        greedy->choose(ExplorationInput{bids, {}, {}, {}, nullptr, nullptr}, 1, rng, slate);
        auction->clear(AuctionInput{bids, quality, &slate, r}, result);
        revenue = result.price_per_click[0];
      }
      sum += revenue;
      sum_sq += revenue * revenue;
    }
    const double mean = sum / trials;
    const double se = std::sqrt((sum_sq / trials - mean * mean) / trials);
    const double theory = 2.0 * n * (1 - std::pow(r, n + 1)) / (n + 1) - (1 - std::pow(r, n));
    INFO("n = " << n << ", r = " << r << ", mean = " << mean << ", theory = " << theory);
    CHECK(std::abs(mean - theory) < 4 * se);
  }
}

TEST_CASE("every auction charges within [0, bid] on random instances", "[policies][auction]") {
  RngStream rng(ReplicationKey{3, 0}, "test.auction", 0);
  boost::random::uniform_01<double> unit;
  for (const auto& name : auction_registry().names()) {
    auto auction = auction_registry().create(name, ParamValues{});
    for (int t = 0; t < 2000; ++t) {
      const int n = 1 + static_cast<int>(unit(rng) * 8);
      std::vector<double> bids(n), quality(n);
      for (int i = 0; i < n; ++i) bids[i] = unit(rng) * 3, quality[i] = unit(rng) * 0.2;
      Slate slate;
      slate.order.resize(n);
      for (int i = 0; i < n; ++i) slate.order[i] = (i * 5 + t) % n;
      std::vector<int> seen(slate.order);
      std::sort(seen.begin(), seen.end());
      if (std::unique(seen.begin(), seen.end()) != seen.end()) {
        for (int i = 0; i < n; ++i) slate.order[i] = i;
      }
      slate.shown = std::min(n, 3);
      AuctionResult result;
      REQUIRE_NOTHROW(auction->clear(AuctionInput{bids, quality, &slate, 0.1}, result));
    }
  }
}

TEST_CASE("an unknown auction name lists the valid ones", "[policies][auction]") {
  CHECK_THROWS_WITH(auction_registry().create("first_prise", ParamValues{}),
                    Catch::Contains("second_price"));
}
