// Reserve policies: fixed returns its price; learned converges to the bid quantile; the contract.
#include <catch2/catch.hpp>

#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "policies/auction/reserve_policy.h"
#include "sim/core/rng.h"

using namespace marketsim;

namespace {

std::unique_ptr<ReservePolicy> make(const std::string& name, std::size_t partners,
                                    const std::vector<std::pair<std::string, double>>& set = {}) {
  for (const auto& info : reserve_policy_registry().components()) {
    if (info.name != name) continue;
    ParamValues p = defaults_of(info.params);
    for (const auto& [key, value] : set) p.set(key, value);
    return reserve_policy_registry().create(name, p, partners);
  }
  return nullptr;
}

}  // namespace

TEST_CASE("the fixed reserve is its price on every partner, whatever it observes",
          "[policies][reserve]") {
  auto fixed = make("fixed", 3, {{"price", 0.25}});
  for (std::uint32_t p = 0; p < 3; ++p) CHECK(fixed->reserve(p) == 0.25);
  fixed->observe(1, 5.0, 1.0);
  fixed->observe(2, 0.0, 0.0);
  for (std::uint32_t p = 0; p < 3; ++p) CHECK(fixed->reserve(p) == 0.25);
}

TEST_CASE("the learned reserve converges to the configured quantile of the highest bid",
          "[policies][reserve][statistics]") {
  // Highest bids log-uniform on [0.2, 2] USD: log h ~ U[a, b], L = b - a = ln 10, so the
  // q-quantile is x* = a + q L and the log-space update is linear in the log-reserve x around it:
  // x' - x* = (1 - lr/L)(x - x*) + lr noise. Hence E[x] = x* exactly and the stationary variance
  // is V = lr L q (1 - q) / 2. Each partner sees its own stream, so the final log-reserves of P
  // partners are independent draws from that law: their mean must lie within 4 sqrt(V / P) of x*
  // and their sample variance within 4 standard errors (sqrt(2 / (P - 1)), relative) of V.
  const double q = 0.3, lr = 0.02, a = std::log(0.2), b = std::log(2.0), L = b - a;
  const std::uint32_t partners = 300;
  const int steps = 4000;  // ~35 relaxation times L / lr after the climb from the initial 0.05
  auto learned = make("learned", partners, {{"quantile", q}, {"learning_rate", lr}});
  for (std::uint32_t p = 0; p < partners; ++p) {
    RngStream rng(ReplicationKey{17, 0}, "test.reserve.bids", p);
    boost::random::uniform_real_distribution<double> log_bid(a, b);
    boost::random::uniform_01<double> unit;
    for (int t = 0; t < steps; ++t) {
      const double highest = std::exp(log_bid(rng));
      learned->observe(p, highest, highest * unit(rng));
    }
  }
  double sum = 0, sum_sq = 0;
  for (std::uint32_t p = 0; p < partners; ++p) {
    const double x = std::log(learned->reserve(p));
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / partners;
  const double var = (sum_sq - partners * mean * mean) / (partners - 1);
  const double target = a + q * L, v = lr * L * q * (1 - q) / 2;
  INFO("mean log reserve " << mean << " (target " << target << "), variance " << var << " (theory "
                           << v << ")");
  CHECK(std::abs(mean - target) < 4 * std::sqrt(v / partners));
  CHECK(std::abs(var / v - 1) < 4 * std::sqrt(2.0 / (partners - 1)));
}

TEST_CASE("every reserve policy stays finite and non-negative, and checks its inputs",
          "[policies][reserve]") {
  RngStream rng(ReplicationKey{19, 0}, "test.reserve.conformance", 0);
  boost::random::uniform_01<double> unit;
  for (const auto& info : reserve_policy_registry().components()) {
    INFO(info.name);
    auto policy =
        reserve_policy_registry().create(info.name, defaults_of(info.params), std::size_t{4});
    for (int t = 0; t < 20000; ++t) {
      const auto partner = static_cast<std::uint32_t>(t % 4);
      // Long runs of empty requests (partner 0) and of huge bids (partner 3).
      const double highest = partner == 0 ? 0.0 : partner == 3 ? 1e6 * unit(rng) : unit(rng);
      policy->observe(partner, highest, highest * unit(rng));
      const double r = policy->reserve(partner);
      REQUIRE(std::isfinite(r));
      REQUIRE(r >= 0.0);
    }
    CHECK_THROWS_AS(policy->observe(1, 0.5, 0.7), std::invalid_argument);
    CHECK_THROWS_AS(policy->observe(1, 0.5, -0.1), std::invalid_argument);
    CHECK_THROWS_AS(policy->observe(1, std::numeric_limits<double>::infinity(), 0.0),
                    std::invalid_argument);
  }
}

TEST_CASE("the learned reserve rejects an unknown partner", "[policies][reserve]") {
  auto learned = make("learned", 2);
  CHECK(learned->reserve(1) == Approx(0.05));
  CHECK_THROWS_AS(learned->reserve(2), std::out_of_range);
  CHECK_THROWS_AS(learned->observe(2, 1.0, 0.5), std::out_of_range);
}

TEST_CASE("an unknown reserve policy name lists the valid ones", "[policies][reserve]") {
  CHECK_THROWS_WITH(reserve_policy_registry().create("learnt", ParamValues{}, std::size_t{1}),
                    Catch::Contains("fixed") && Catch::Contains("learned"));
}
