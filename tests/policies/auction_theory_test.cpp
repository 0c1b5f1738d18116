// Auctions against theory: GSP and VCG by definition and brute force, revenue equivalence, Myerson.
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "policies/auction/auction.h"
#include "policies/exploration/explorer.h"
#include "sim/core/rng.h"

using namespace marketsim;

namespace {

std::unique_ptr<Auction> make(const std::string& name, std::vector<double> position_ctr = {}) {
  for (const auto& info : auction_registry().components()) {
    if (info.name != name) continue;
    ParamValues p = defaults_of(info.params);
    if (!position_ctr.empty()) p.set("position_ctr", std::move(position_ctr));
    return auction_registry().create(name, p);
  }
  return nullptr;
}

// The most welfare sum_s theta_s score_i over all assignments of distinct bidders (never
// `excluded`) to slots `slot`.. (a slot may stay empty), by exhaustive search.
double best_welfare(const std::vector<double>& theta, const std::vector<double>& score,
                    std::size_t slot, unsigned used, int excluded) {
  if (slot == theta.size()) return 0;
  double best = best_welfare(theta, score, slot + 1, used, excluded);
  for (int i = 0; i < static_cast<int>(score.size()); ++i) {
    if (i == excluded || (used >> i & 1u)) continue;
    best = std::max(best, theta[slot] * score[i] +
                              best_welfare(theta, score, slot + 1, used | (1u << i), excluded));
  }
  return best;
}

// One random instance: n <= 7 bidders, k <= 4 slots, the greedy slate and position CTRs.
struct Instance {
  std::vector<double> bids, quality, score, theta;
  Slate slate;

  static Instance draw(RngStream& rng) {
    boost::random::uniform_01<double> unit;
    Instance x;
    const int n = boost::random::uniform_int_distribution<int>(1, 7)(rng);
    const int k = boost::random::uniform_int_distribution<int>(1, 4)(rng);
    for (int i = 0; i < n; ++i) {
      x.bids.push_back(3 * unit(rng));
      x.quality.push_back(0.01 + 0.2 * unit(rng));
      x.score.push_back(x.bids.back() * x.quality.back());
    }
    for (int s = 0; s < k; ++s) x.theta.push_back(0.05 + 0.95 * unit(rng));
    std::sort(x.theta.rbegin(), x.theta.rend());
    greedy_order(x.score, k + 1, x.slate.order);
    x.slate.shown = std::min(k, n);
    return x;
  }
};

// Expected revenue per impression: sum over shown slots of theta_s x pCTR x price per click.
double revenue(const Instance& x, const AuctionResult& r) {
  double sum = 0;
  for (int s = 0; s < x.slate.shown; ++s)
    sum += x.theta[s] * x.quality[x.slate.order[s]] * r.price_per_click[s];
  return sum;
}

}  // namespace

TEST_CASE("GSP and VCG charge their definitions on random instances",
          "[policies][auction][statistics]") {
  RngStream rng(ReplicationKey{5, 0}, "test.auction.definitions", 0);
  for (int t = 0; t < 3000; ++t) {
    const Instance x = Instance::draw(rng);
    const int shown = x.slate.shown;
    AuctionResult gsp, vcg;
    make("gsp")->clear({x.bids, x.quality, &x.slate, 0}, gsp);
    make("vcg", x.theta)->clear({x.bids, x.quality, &x.slate, 0}, vcg);
    const double welfare = best_welfare(x.theta, x.score, 0, 0, -1);
    double greedy_welfare = 0;
    for (int s = 0; s < shown; ++s) greedy_welfare += x.theta[s] * x.score[x.slate.order[s]];
    INFO("instance " << t << ", n = " << x.bids.size() << ", k = " << x.theta.size());
    REQUIRE(greedy_welfare == Approx(welfare));  // the greedy slate is efficient
    for (int s = 0; s < shown; ++s) {
      const int i = x.slate.order[s];
      // GSP: the score of the entry below (0 when none) over own pCTR.
      const bool below = s + 1 < static_cast<int>(x.slate.order.size());
      const double gsp_price = below ? x.score[x.slate.order[s + 1]] / x.quality[i] : 0.0;
      CHECK(gsp.price_per_click[s] == Approx(gsp_price).margin(1e-12));
      // VCG: the others' best welfare without i minus their welfare with i, per click of i.
      const double others_with = welfare - x.theta[s] * x.score[i];
      const double others_without = best_welfare(x.theta, x.score, 0, 0, i);
      const double vcg_price = (others_without - others_with) / (x.theta[s] * x.quality[i]);
      CHECK(vcg.price_per_click[s] == Approx(vcg_price).margin(1e-9));
    }
  }
}

TEST_CASE("VCG never charges more than GSP at truthful greedy-ordered bids",
          "[policies][auction]") {
  RngStream rng(ReplicationKey{6, 0}, "test.auction.vcg_gsp", 0);
  boost::random::uniform_01<double> unit;
  for (int t = 0; t < 3000; ++t) {
    const Instance x = Instance::draw(rng);
    const double reserve = unit(rng) < 0.5 ? 0.0 : 0.5 * unit(rng);
    AuctionResult gsp, vcg;
    make("gsp")->clear({x.bids, x.quality, &x.slate, reserve}, gsp);
    make("vcg", x.theta)->clear({x.bids, x.quality, &x.slate, reserve}, vcg);
    INFO("instance " << t);
    for (int s = 0; s < x.slate.shown; ++s)
      CHECK(vcg.price_per_click[s] <= gsp.price_per_click[s] * (1 + 1e-12));
    CHECK(revenue(x, vcg) <= revenue(x, gsp) * (1 + 1e-12));
  }
}

TEST_CASE("revenue equivalence: first price at equilibrium bids vs second price, one slot",
          "[policies][auction][statistics]") {
  // n values ~ U[0, 1]. Second price with truthful bids and first price with the symmetric
  // equilibrium bid (n - 1)/n v both earn E[R] = (n - 1)/(n + 1) (the expected second-highest
  // value). Independent streams per auction, so the two means are independent: they must agree
  // within 4 combined standard errors, and each must match theory within 4 of its own.
  for (const int n : {2, 3, 5}) {
    struct Run {
      const char* auction;
      double shade;
      double mean = 0, se = 0;
    };
    Run runs[] = {{"first_price", (n - 1.0) / n}, {"second_price", 1.0}};
    for (Run& run : runs) {
      RngStream rng(ReplicationKey{21, static_cast<std::uint64_t>(n)}, run.auction, 0);
      boost::random::uniform_01<double> unit;
      auto auction = make(run.auction);
      const int trials = 100000;
      std::vector<double> bids(static_cast<std::size_t>(n)), quality(bids.size(), 1.0);
      Slate slate;
      slate.shown = 1;
      AuctionResult result;
      double sum = 0, sum_sq = 0;
      for (int t = 0; t < trials; ++t) {
        for (double& b : bids) b = run.shade * unit(rng);
        greedy_order(bids, 2, slate.order);
        auction->clear({bids, quality, &slate, 0}, result);
        sum += result.price_per_click[0];
        sum_sq += result.price_per_click[0] * result.price_per_click[0];
      }
      run.mean = sum / trials;
      run.se = std::sqrt((sum_sq / trials - run.mean * run.mean) / trials);
    }
    const double theory = (n - 1.0) / (n + 1.0);
    INFO("n = " << n << ", first " << runs[0].mean << " +- " << runs[0].se << ", second "
                << runs[1].mean << " +- " << runs[1].se << ", theory " << theory);
    CHECK(std::abs(runs[0].mean - runs[1].mean) <
          4 * std::sqrt(runs[0].se * runs[0].se + runs[1].se * runs[1].se));
    CHECK(std::abs(runs[0].mean - theory) < 4 * runs[0].se);
    CHECK(std::abs(runs[1].mean - theory) < 4 * runs[1].se);
  }
}

TEST_CASE("one-slot second-price revenue with a reserve matches Myerson's formula",
          "[policies][auction][statistics]") {
  // n bidders with values ~ U[0, 1] bid truthfully; only values >= reserve r enter. Expected
  // revenue: E[R] = 2n(1 - r^(n+1))/(n+1) - (1 - r^n). With one slot second_price, gsp and vcg
  // all are Vickrey. Within 4 standard errors of the Monte Carlo mean (~6e-5 false alarms each).
  for (const char* name : {"second_price", "gsp", "vcg"}) {
    for (const auto& [n, r] :
         std::vector<std::pair<int, double>>{{2, 0.0}, {3, 0.0}, {5, 0.3}, {4, 0.5}}) {
      RngStream rng(ReplicationKey{11, static_cast<std::uint64_t>(n)}, name, 0);
      boost::random::uniform_01<double> unit;
      auto auction = make(name);
      const int trials = 100000;
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
          greedy_order(bids, 2, slate.order);
          slate.shown = 1;
          auction->clear({bids, quality, &slate, r}, result);
          revenue = result.price_per_click[0];
        }
        sum += revenue;
        sum_sq += revenue * revenue;
      }
      const double mean = sum / trials;
      const double se = std::sqrt((sum_sq / trials - mean * mean) / trials);
      const double theory = 2.0 * n * (1 - std::pow(r, n + 1)) / (n + 1) - (1 - std::pow(r, n));
      INFO(name << ": n = " << n << ", r = " << r << ", mean = " << mean
                << ", theory = " << theory);
      CHECK(std::abs(mean - theory) < 4 * se);
    }
  }
}
