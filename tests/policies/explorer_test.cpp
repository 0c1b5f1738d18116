// Explorers: greedy order, and epsilon-greedy's logged propensities against what it does.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <vector>

#include "policies/exploration/explorer.h"
#include "sim/core/rng.h"

using namespace marketsim;

namespace {

// An input with scores only (values and pCTRs unused by greedy and epsilon-greedy).
ExplorationInput scores_only(const std::vector<double>& scores) {
  return ExplorationInput{scores, {}, {}, {}, nullptr, nullptr};
}

ParamValues epsilon_params(double epsilon) {
  ParamValues p;
  p.set("epsilon", epsilon);
  return p;
}

}  // namespace

TEST_CASE("greedy shows the top scores in order, ties to the lower index", "[policies][explorer]") {
  auto greedy = explorer_registry().create("greedy", ParamValues{});
  RngStream rng(ReplicationKey{1, 0}, "test", 0);
  Slate slate;
  const std::vector<double> scores = {0.2, 0.5, 0.5, 0.1, 0.9};
  greedy->choose(scores_only(scores), 3, rng, slate);
  CHECK(slate.shown == 3);
  CHECK(slate.order == std::vector<int>{4, 1, 2, 0});  // three shown, then the runner-up
  CHECK(slate.propensity == 1.0);
  CHECK_FALSE(slate.explored);
  greedy->choose(scores_only({0.3, 0.1}), 3, rng, slate);
  CHECK(slate.shown == 2);
  CHECK(slate.order == std::vector<int>{0, 1});
}

TEST_CASE("epsilon-greedy propensities are exact: they match frequencies and sum to one",
          "[policies][explorer][statistics]") {
  // n = 4 candidates, k = 2 slots: 12 ordered slates. Each logged propensity must equal the
  // slate's frequency over many draws (within 4 binomial standard errors) and the propensities of
  // the distinct slates must sum to one.
  const double epsilon = 0.3;
  auto explorer = explorer_registry().create("epsilon_greedy", epsilon_params(epsilon));
  const std::vector<double> scores = {0.4, 0.1, 0.3, 0.2};
  RngStream rng(ReplicationKey{2, 0}, "test.explorer", 0);
  Slate slate;
  std::map<std::vector<int>, std::pair<int, double>> seen;  // slate -> (count, propensity)
  const int draws = 200000;
  int explored = 0;
  for (int i = 0; i < draws; ++i) {
    explorer->choose(scores_only(scores), 2, rng, slate);
    const std::vector<int> shown(slate.order.begin(), slate.order.begin() + slate.shown);
    auto& entry = seen[shown];
    if (entry.first > 0) REQUIRE(entry.second == Approx(slate.propensity));
    entry.first += 1;
    entry.second = slate.propensity;
    explored += slate.explored ? 1 : 0;
  }
  REQUIRE(seen.size() == 12);
  double total = 0;
  for (const auto& [shown, entry] : seen) {
    const double p = entry.second;
    const double freq = static_cast<double>(entry.first) / draws;
    INFO("slate " << shown[0] << "," << shown[1] << " p = " << p << " freq = " << freq);
    CHECK(std::abs(freq - p) < 4 * std::sqrt(p * (1 - p) / draws));
    total += p;
  }
  CHECK(total == Approx(1.0).epsilon(1e-12));
  CHECK(seen[{0, 2}].second == Approx(1 - epsilon + epsilon / 12));
  const double explore_freq = static_cast<double>(explored) / draws;
  CHECK(std::abs(explore_freq - epsilon) < 4 * std::sqrt(epsilon * (1 - epsilon) / draws));
}

TEST_CASE("every explorer satisfies the slate contract", "[policies][explorer]") {
  RngStream rng(ReplicationKey{4, 0}, "test.explorer", 0);
  for (const auto& info : explorer_registry().components()) {
    auto explorer = explorer_registry().create(info.name, defaults_of(info.params));
    Slate slate;
    for (int n = 1; n <= 6; ++n) {
      std::vector<double> scores(n);
      for (int i = 0; i < n; ++i) scores[i] = 0.1 * ((i * 7) % 5);
      for (int t = 0; t < 200; ++t)
        REQUIRE_NOTHROW(explorer->choose(scores_only(scores), 3, rng, slate));
    }
  }
}
