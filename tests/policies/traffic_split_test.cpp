// TrafficSplit: declared shares, monotone staged enrollment and orthogonal layers.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>

#include "policies/experiments/traffic_split.h"

using namespace marketsim;

namespace {

constexpr int kUnits = 200000;

// |observed share - p| within 4 binomial standard errors of n draws (two-sided false alarm about
// 6e-5 per comparison).
bool within_binomial(double count, double n, double p) {
  return std::abs(count / n - p) <= 4 * std::sqrt(p * (1 - p) / n);
}

}  // namespace

TEST_CASE("arms receive their declared shares of the enrolled units", "[policies][experiments]") {
  const TrafficSplit split(17, {1.0, 2.0, 1.0}, {0}, {1.0});
  std::array<double, 3> count{};
  for (std::uint64_t u = 0; u < kUnits; ++u) count[static_cast<std::size_t>(split.arm(u, 0))] += 1;
  CHECK(within_binomial(count[0], kUnits, 0.25));
  CHECK(within_binomial(count[1], kUnits, 0.5));
  CHECK(within_binomial(count[2], kUnits, 0.25));
}

TEST_CASE("a staged rollout enrolls its share and never moves a unit between arms",
          "[policies][experiments]") {
  const SimTime day = hours_to_time(24);
  const TrafficSplit split(5, {1.0, 1.0}, {0, day, 2 * day}, {0.01, 0.2, 1.0});
  CHECK(split.enrolled_share(day - 1) == 0.01);
  CHECK(split.enrolled_share(day) == 0.2);
  std::array<double, 3> enrolled{};
  double treated_at_end = 0, enrolled_at_end = 0;
  for (std::uint64_t u = 0; u < kUnits; ++u) {
    int arm_seen = -1;
    for (int stage = 0; stage < 3; ++stage) {
      const int arm = split.arm(u, stage * day);
      if (arm < 0) {
        REQUIRE(arm_seen < 0);  // once enrolled, always enrolled
        continue;
      }
      enrolled[static_cast<std::size_t>(stage)] += 1;
      if (arm_seen >= 0) REQUIRE(arm == arm_seen);  // the same arm at every stage
      arm_seen = arm;
    }
    enrolled_at_end += arm_seen >= 0;
    treated_at_end += arm_seen == 1;
  }
  CHECK(within_binomial(enrolled[0], kUnits, 0.01));
  CHECK(within_binomial(enrolled[1], kUnits, 0.2));
  CHECK(enrolled[2] == kUnits);
  CHECK(within_binomial(treated_at_end, enrolled_at_end, 0.5));
}

TEST_CASE("experiments on different salts assign independently", "[policies][experiments]") {
  const TrafficSplit a(1, {1.0, 1.0}, {0}, {1.0}), b(2, {1.0, 1.0}, {0}, {1.0});
  double both = 0, first = 0, second = 0;
  for (std::uint64_t u = 0; u < kUnits; ++u) {
    const bool in_a = a.arm(u, 0) == 1, in_b = b.arm(u, 0) == 1;
    first += in_a;
    second += in_b;
    both += in_a && in_b;
  }
  // Independence: P(treated in both) = P(a) P(b) = 1/4 up to sampling error.
  CHECK(within_binomial(both, kUnits, (first / kUnits) * (second / kUnits)));
}

TEST_CASE("a split refuses inconsistent stages and weights", "[policies][experiments]") {
  CHECK_THROWS_AS(TrafficSplit(1, {1.0}, {0}, {1.0}), std::invalid_argument);
  CHECK_THROWS_AS(TrafficSplit(1, {1.0, 0.0}, {0}, {1.0}), std::invalid_argument);
  CHECK_THROWS_AS(TrafficSplit(1, {1.0, 1.0}, {0, 10}, {0.5, 0.2}), std::invalid_argument);
  CHECK_THROWS_AS(TrafficSplit(1, {1.0, 1.0}, {5}, {0.5}), std::invalid_argument);
}

TEST_CASE("a ramped rollout gives each arm its share of all units and never moves a unit",
          "[policies][experiments]") {
  const SimTime day = hours_to_time(24);
  const TrafficSplit split(9, {0, day, 2 * day}, {{0.5, 0.5, 0.5}, {0.01, 0.1, 0.5}});
  CHECK(split.enrolled_share(day) == Approx(0.6));
  CHECK(split.arm_shares(2 * day) == std::vector<double>{0.5, 0.5});
  std::array<std::array<double, 2>, 3> count{};
  for (std::uint64_t u = 0; u < kUnits; ++u) {
    int arm_seen = -1;
    for (int stage = 0; stage < 3; ++stage) {
      const int arm = split.arm(u, stage * day);
      if (arm < 0) {
        REQUIRE(arm_seen < 0);
        continue;
      }
      if (arm_seen >= 0) REQUIRE(arm == arm_seen);
      arm_seen = arm;
      count[static_cast<std::size_t>(stage)][static_cast<std::size_t>(arm)] += 1;
    }
  }
  for (int stage = 0; stage < 3; ++stage) {
    CHECK(within_binomial(count[stage][0], kUnits, 0.5));
    CHECK(within_binomial(count[stage][1], kUnits, std::array{0.01, 0.1, 0.5}[stage]));
  }
  CHECK_THROWS_AS(TrafficSplit(1, {0}, {{0.6}, {0.4}}), std::invalid_argument);
  CHECK_THROWS_AS(TrafficSplit(1, {0, day}, {{0.2, 0.1}, {0.1, 0.1}}), std::invalid_argument);
}
