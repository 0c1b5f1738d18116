// Explorers: greedy order, epsilon-greedy's logged propensities against what it does, UCB1's
// order, model requirements, and the slate contract for every registered explorer.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/beta_ctr.h"
#include "models/predictor.h"
#include "policies/exploration/explorer.h"
#include "sim/core/rng.h"
#include "tests/models/model_test_support.h"
#include "tests/policies/explorer_test_support.h"

using namespace marketsim;
using marketsim::testing::explorer_defaults;
using marketsim::testing::ModelInput;
using marketsim::testing::scores_only;
using marketsim::testing::TestCatalog;

namespace {

ParamValues epsilon_params(double epsilon) {
  ParamValues p = explorer_defaults("epsilon_greedy");
  p.set("epsilon", epsilon);
  return p;
}

// A model without a posterior, to check that Thompson sampling refuses it.
class PointModel final : public Predictor {
 public:
  PointModel() : Predictor(Task::kClick, 0) {}

 private:
  void do_predict(const RequestFeatures&, std::span<const std::uint32_t>, int,
                  std::span<double> out) const override {
    for (double& p : out) p = 0.1;
  }
  void do_train(std::span<const Example>) override {}
  void do_reset() override {}
  void do_evidence(const RequestFeatures&, std::span<const std::uint32_t>,
                   std::span<double> out) const override {
    for (double& n : out) n = 0;
  }
};

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

TEST_CASE("ucb1 shows unseen offers first, then the highest upper bounds", "[policies][explorer]") {
  const TestCatalog catalog(4);
  BetaCtr model(1, 1, catalog.context());
  const RequestFeatures request;
  // Offer 0: 2/10 clicks; offer 1: 30/100; offer 2: 1/2; offer 3 never shown.
  const auto learn = [&](std::uint32_t offer, int clicks, int shown) {
    for (int i = 0; i < shown; ++i) model.learn(request, offer, 0, i < clicks);
  };
  learn(0, 2, 10);
  learn(1, 30, 100);
  learn(2, 1, 2);
  ModelInput in(model, 4);
  auto ucb = explorer_registry().create("ucb1", explorer_defaults("ucb1"));
  RngStream rng(ReplicationKey{5, 0}, "test.explorer", 0);
  Slate slate;
  ucb->choose(in.input, 2, rng, slate);
  // Indices with N = 113: 0: 3/12 + sqrt(2 ln 113 / 10) = 1.22; 1: 31/102 + 0.31 = 0.61;
  // 2: 2/4 + 2.17 = 2.67; 3: unseen (infinite).
  CHECK(slate.order == std::vector<int>{3, 2, 0});
  CHECK(slate.propensity == 1.0);
  CHECK_FALSE(slate.propensity_estimated);
  CHECK(slate.explored);  // greedy on the means would show 2 (0.5) then 3 (0.5)
}

TEST_CASE("explorers that need the model's uncertainty refuse inputs without it",
          "[policies][explorer]") {
  RngStream rng(ReplicationKey{6, 0}, "test.explorer", 0);
  Slate slate;
  const std::vector<double> scores = {0.1, 0.2};
  for (const char* name : {"ucb1", "thompson"}) {
    INFO(name);
    auto explorer = explorer_registry().create(name, explorer_defaults(name));
    CHECK_THROWS_AS(explorer->choose(scores_only(scores), 1, rng, slate), std::invalid_argument);
  }
  PointModel point;
  ModelInput in(point, 2);
  auto thompson = explorer_registry().create("thompson", explorer_defaults("thompson"));
  CHECK_THROWS_WITH(thompson->choose(in.input, 1, rng, slate), Catch::Contains("posterior"));
}

TEST_CASE("thompson over logistic_laplace samples per context", "[policies][explorer]") {
  // Device 0 clicks offer 0 at 30% and offer 1 at 5%; device 1 the other way round. The contextual
  // posterior must steer each device to its own offer.
  const auto models = predictor_registry().components();
  const auto info = std::find_if(models.begin(), models.end(), [](const ComponentInfo& c) {
    return c.name == "logistic_laplace";
  });
  REQUIRE(info != models.end());
  const TestCatalog catalog(2);
  auto model =
      predictor_registry().create("logistic_laplace", defaults_of(info->params), catalog.context());
  RngStream data(ReplicationKey{7, 0}, "test.explorer.data", 0);
  for (int i = 0; i < 4000; ++i) {
    const RequestFeatures request{static_cast<std::uint8_t>(i % 2), 0, 0, false, 0};
    const auto offer = static_cast<std::uint32_t>((i / 2) % 2);
    model->learn(request, offer, 0, data.uniform() < (request.device == offer ? 0.3 : 0.05));
  }
  auto thompson = explorer_registry().create("thompson", explorer_defaults("thompson"));
  RngStream rng(ReplicationKey{7, 0}, "test.explorer", 0);
  Slate slate;
  for (std::uint8_t device : {0, 1}) {
    ModelInput in(*model, 2);
    in.features.device = device;
    model->predict(in.features, in.offers, in.pctr);
    int own = 0;
    for (int t = 0; t < 200; ++t) {
      thompson->choose(in.input, 1, rng, slate);
      CHECK(slate.propensity_estimated);
      own += slate.order[0] == device ? 1 : 0;
    }
    CHECK(own > 190);
  }
}

TEST_CASE("unknown explorer names list the valid ones", "[policies][explorer]") {
  CHECK_THROWS_WITH(
      explorer_registry().create("boltzmann", ParamValues{}),
      Catch::Contains("softmax") && Catch::Contains("thompson") && Catch::Contains("ucb1"));
}

TEST_CASE("every explorer satisfies the slate contract", "[policies][explorer]") {
  // Scores from a BetaCtr model that has seen some data (so UCB1 and Thompson sampling can ask it
  // for evidence and posterior draws), for n = 1..6 candidates and 1..3 slots. Offers come in
  // pairs with the same data, so scores tie, and the first pair is unseen.
  const TestCatalog catalog(6);
  BetaCtr model(1, 9, catalog.context());
  const RequestFeatures request;
  for (std::uint32_t offer = 0; offer < 6; ++offer)
    for (std::uint32_t i = 0; i < 4 * (offer / 2); ++i) model.learn(request, offer, 0, i % 3 == 0);
  RngStream rng(ReplicationKey{4, 0}, "test.explorer", 0);
  for (const auto& info : explorer_registry().components()) {
    INFO(info.name);
    auto explorer = explorer_registry().create(info.name, defaults_of(info.params));
    Slate slate;
    for (int n = 1; n <= 6; ++n) {
      ModelInput in(model, n);
      for (int slots = 1; slots <= 3; ++slots)
        for (int t = 0; t < 50; ++t) REQUIRE_NOTHROW(explorer->choose(in.input, slots, rng, slate));
    }
  }
}

TEST_CASE("greedy order is the stable descending sort's prefix, for any count",
          "[policies][explorer]") {
  RngStream rng(ReplicationKey{5, 0}, "test.greedy_order", 0);
  std::vector<int> order;
  for (int trial = 0; trial < 200; ++trial) {
    const auto n = static_cast<std::size_t>(rng.uniform() * 30);
    std::vector<double> scores(n);
    // Few distinct values, so that ties are common.
    for (double& s : scores) s = std::floor(rng.uniform() * 5);
    std::vector<int> sorted(n);
    std::iota(sorted.begin(), sorted.end(), 0);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [&](int a, int b) { return scores[a] > scores[b]; });
    for (int count : {0, 1, 2, 3, 8, 9, 40}) {
      greedy_order(scores, count, order);
      const auto top = std::min<std::size_t>(static_cast<std::size_t>(count), n);
      CHECK(order == std::vector<int>(sorted.begin(), sorted.begin() + static_cast<long>(top)));
    }
  }
}
