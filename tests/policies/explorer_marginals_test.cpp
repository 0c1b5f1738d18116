// Explorer slot probabilities: the contract for every registered explorer (distributions per slot,
// no effect on choose()), values computed by hand, and the base class refusing broken hooks.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "models/beta_ctr.h"
#include "policies/exploration/epsilon_greedy.h"
#include "policies/exploration/explorer.h"
#include "policies/exploration/softmax.h"
#include "sim/core/rng.h"
#include "tests/models/model_test_support.h"
#include "tests/policies/explorer_test_support.h"

using namespace marketsim;
using marketsim::testing::explorer_defaults;
using marketsim::testing::ModelInput;
using marketsim::testing::scores_only;
using marketsim::testing::TestCatalog;

namespace {

// p[i * k + s]: the probability of candidate i in slot s.
double at(const std::vector<double>& p, int k, int i, int s) {
  return p[static_cast<std::size_t>(i) * k + s];
}

// Checks that `p` (n x k) holds probabilities, each slot's summing to 1 and each candidate's to at
// most 1 (to 1e-9, the base class's rounding allowance).
void check_distributions(const std::vector<double>& p, int n, int k) {
  REQUIRE(p.size() == static_cast<std::size_t>(n) * k);
  for (int i = 0; i < n; ++i) {
    double row = 0;
    for (int s = 0; s < k; ++s) {
      CHECK(at(p, k, i, s) >= 0.0);
      CHECK(at(p, k, i, s) <= 1.0);
      row += at(p, k, i, s);
    }
    CHECK(row <= 1.0 + 1e-9);
  }
  for (int s = 0; s < k; ++s) {
    double column = 0;
    for (int i = 0; i < n; ++i) column += at(p, k, i, s);
    CHECK(column == Approx(1.0).margin(1e-9));
  }
}

// An explorer whose slot probabilities break the contract in the way `flaw` names.
class FlawedExplorer final : public Explorer {
 public:
  explicit FlawedExplorer(std::string flaw) : flaw_(std::move(flaw)) {}

 private:
  void do_choose(const ExplorationInput&, int, RngStream&, Slate&) override {}
  bool do_slot_probabilities(const ExplorationInput&, int, RngStream&,
                             std::vector<double>& p) const override {
    // Two candidates, two slots: a valid answer is {0.5, 0.5, 0.5, 0.5}.
    p = {0.5, 0.5, 0.5, 0.5};
    if (flaw_ == "column") p = {0.5, 0.4, 0.4, 0.5};
    if (flaw_ == "row") p = {0.6, 0.6, 0.4, 0.4};
    if (flaw_ == "negative") p = {1.5, 0.5, -0.5, 0.5};
    if (flaw_ == "size") p.resize(2);
    return false;
  }

  std::string flaw_;
};

}  // namespace

TEST_CASE("every explorer's slot probabilities are distributions that leave choose() alone",
          "[policies][explorer]") {
  // Scores from a BetaCtr model that has seen some data (as in the slate contract test): offers in
  // pairs with the same data, so scores tie, and the first pair unseen; n = 1..6, 0..3 slots.
  const TestCatalog catalog(6);
  BetaCtr model(1, 9, catalog.context());
  const RequestFeatures request;
  for (std::uint32_t offer = 0; offer < 6; ++offer)
    for (std::uint32_t i = 0; i < 4 * (offer / 2); ++i) model.learn(request, offer, 0, i % 3 == 0);
  // Every registered explorer with its defaults, and epsilon-greedy decaying fast enough (1% per
  // request) that a request counted by slot_probabilities() would change the next propensity.
  std::vector<std::pair<std::string, ParamValues>> configs;
  for (const auto& info : explorer_registry().components())
    configs.emplace_back(info.name, defaults_of(info.params));
  ParamValues decaying = explorer_defaults("epsilon_greedy");
  decaying.set("epsilon", 0.5);
  decaying.set("decay", std::string("exponential"));
  decaying.set("decay_requests", 100.0);
  configs.emplace_back("epsilon_greedy", decaying);
  for (const auto& [name, params] : configs) {
    INFO(name);
    // Two identical explorers on identical streams; only `probed` is asked for probabilities,
    // from a stream of its own, before every choice.
    auto plain = explorer_registry().create(name, params);
    auto probed = explorer_registry().create(name, params);
    RngStream plain_rng(ReplicationKey{21, 0}, "test.marginals", 0);
    RngStream probed_rng = plain_rng;
    RngStream probe_rng(ReplicationKey{21, 0}, "test.marginals.probe", 0);
    Slate plain_slate, probed_slate;
    std::vector<double> p, again;
    for (int n = 1; n <= 6; ++n) {
      ModelInput in(model, n);
      for (int slots = 0; slots <= 3; ++slots) {
        INFO("n = " << n << ", slots = " << slots);
        const int k = std::min(slots, n);
        for (int t = 0; t < 5; ++t) {
          RngStream replay = probe_rng;
          const bool estimated = probed->slot_probabilities(in.input, slots, probe_rng, p);
          CHECK(estimated == (name == "thompson" && n > 1 && k > 0));
          check_distributions(p, n, k);
          probed->slot_probabilities(in.input, slots, replay, again);
          CHECK(again == p);  // a function of the state, the input and the stream
          plain->choose(in.input, slots, plain_rng, plain_slate);
          probed->choose(in.input, slots, probed_rng, probed_slate);
          CHECK(probed_slate.order == plain_slate.order);
          CHECK(probed_slate.propensity == plain_slate.propensity);
          CHECK(probed_slate.propensity_estimated == plain_slate.propensity_estimated);
          CHECK(probed_slate.explored == plain_slate.explored);
          // With one slot an exact explorer's logged propensity is the shown candidate's marginal.
          if (k == 1 && !estimated)
            CHECK(at(p, k, probed_slate.order[0], 0) == Approx(probed_slate.propensity));
        }
      }
    }
  }
}

TEST_CASE("greedy and ucb1 slot probabilities are the indicator of their order",
          "[policies][explorer]") {
  RngStream rng(ReplicationKey{22, 0}, "test.marginals", 0);
  std::vector<double> p;
  const std::vector<double> scores = {0.2, 0.5, 0.5, 0.1, 0.9};
  auto greedy = explorer_registry().create("greedy", ParamValues{});
  CHECK_FALSE(greedy->slot_probabilities(scores_only(scores), 3, rng, p));
  // Greedy order 4, 1, 2 (the tie between 1 and 2 to the lower index).
  CHECK(p == std::vector<double>{0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0});

  // The model of the UCB1 order test: offer 0 2/10 clicks, offer 1 30/100, offer 2 1/2, offer 3
  // never shown; its index order is 3, 2, 0, 1.
  const TestCatalog catalog(4);
  BetaCtr model(1, 1, catalog.context());
  const RequestFeatures request;
  const int clicks[] = {2, 30, 1}, shown[] = {10, 100, 2};
  for (std::uint32_t offer = 0; offer < 3; ++offer)
    for (int i = 0; i < shown[offer]; ++i) model.learn(request, offer, 0, i < clicks[offer]);
  ModelInput in(model, 4);
  auto ucb = explorer_registry().create("ucb1", explorer_defaults("ucb1"));
  CHECK_FALSE(ucb->slot_probabilities(in.input, 2, rng, p));
  CHECK(p == std::vector<double>{0, 0, 0, 0, 0, 1, 1, 0});
}

TEST_CASE("epsilon-greedy slot probabilities by hand: n = 4, k = 2", "[policies][explorer]") {
  // Greedy slate 0, 2. A uniformly random ordered pair puts each candidate in each slot with
  // probability 1/4, so every entry is 0.3 / 4 = 0.075, plus 0.7 for 0 in slot 0 and 2 in slot 1.
  EpsilonGreedy explorer(0.3);
  RngStream rng(ReplicationKey{23, 0}, "test.marginals", 0);
  std::vector<double> p;
  const std::vector<double> scores = {0.4, 0.1, 0.3, 0.2};
  CHECK_FALSE(explorer.slot_probabilities(scores_only(scores), 2, rng, p));
  const std::vector<double> expected = {0.775, 0.075, 0.075, 0.075, 0.075, 0.775, 0.075, 0.075};
  for (std::size_t j = 0; j < p.size(); ++j) CHECK(p[j] == Approx(expected[j]).epsilon(1e-12));

  // With decay: after t requests the next one explores with epsilon_t, and asking does not count.
  EpsilonGreedy decaying(0.5, EpsilonDecay::kExponential, 100);
  Slate slate;
  for (int t = 0; t < 100; ++t) decaying.choose(scores_only(scores), 2, rng, slate);
  for (int repeat = 0; repeat < 2; ++repeat) {
    decaying.slot_probabilities(scores_only(scores), 2, rng, p);
    const double eps = 0.5 * std::exp(-1.0);
    CHECK(at(p, 2, 0, 0) == Approx(1 - eps + eps / 4).epsilon(1e-12));
    CHECK(at(p, 2, 1, 0) == Approx(eps / 4).epsilon(1e-12));
    CHECK(decaying.requests_served() == 100);
  }
}

TEST_CASE("softmax slot probabilities by hand: Plackett-Luce marginals", "[policies][explorer]") {
  // The propensity test's case: relative temperature 0.5 of the top score 0.04, so T = 0.02 and
  // logits 2, 0.5, 1.5, 1; e_i = exp(logit_i) = 7.389, 1.649, 4.482, 2.718, E = sum = 16.238.
  Softmax softmax(0.5, true);
  const std::vector<double> scores = {0.04, 0.01, 0.03, 0.02};
  RngStream rng(ReplicationKey{24, 0}, "test.marginals", 0);
  std::vector<double> p;
  CHECK_FALSE(softmax.slot_probabilities(scores_only(scores), 2, rng, p));
  const double e[] = {std::exp(2.0), std::exp(0.5), std::exp(1.5), std::exp(1.0)};
  const double total = e[0] + e[1] + e[2] + e[3];
  // Slot 0 is the softmax: e_i / E = 0.4551, 0.1015, 0.2760, 0.1674.
  for (int i = 0; i < 4; ++i) CHECK(at(p, 2, i, 0) == Approx(e[i] / total).epsilon(1e-12));
  // Slot 1, candidate 1 (the least likely): sum over the first j != 1 of e_j / E * e_1 / (E - e_j)
  //   j = 0: 0.45505 * 1.649 / 8.849 = 0.45505 * 0.18632 = 0.08479
  //   j = 2: 0.27600 * 1.649 / 11.756 = 0.27600 * 0.14024 = 0.03871
  //   j = 3: 0.16741 * 1.649 / 13.519 = 0.16741 * 0.12195 = 0.02042
  // total 0.14391. Candidate 2 likewise: 0.23048 + 0.03119 + 0.05549 = 0.31716.
  CHECK(at(p, 2, 1, 1) == Approx(0.14391).epsilon(1e-4));
  CHECK(at(p, 2, 2, 1) == Approx(0.31716).epsilon(1e-4));
  for (int i = 0; i < 4; ++i) {
    double slot1 = 0;
    for (int j = 0; j < 4; ++j)
      if (j != i) slot1 += e[j] / total * e[i] / (total - e[j]);
    CHECK(at(p, 2, i, 1) == Approx(slot1).epsilon(1e-12));
  }

  // With one slot the marginal of the shown candidate is the logged propensity.
  Slate slate;
  for (int t = 0; t < 20; ++t) {
    softmax.choose(scores_only(scores), 1, rng, slate);
    softmax.slot_probabilities(scores_only(scores), 1, rng, p);
    CHECK(p[slate.order[0]] == Approx(slate.propensity).epsilon(1e-12));
  }
}

TEST_CASE("softmax enumerates up to kMaxEnumeratedPrefixes prefixes and estimates beyond",
          "[policies][explorer]") {
  RngStream rng(ReplicationKey{25, 0}, "test.marginals", 0);
  std::vector<double> p;
  Softmax softmax(0.5, true);
  // Five slots: 22 * 21 * 20 * 19 = 175560 prefixes are enumerated, 23 * 22 * 21 * 20 = 212520
  // are not.
  for (int n : {22, 23}) {
    std::vector<double> scores(n);
    for (int i = 0; i < n; ++i) scores[i] = 0.01 * (i + 1);
    INFO("n = " << n);
    CHECK(softmax.slot_probabilities(scores_only(scores), 5, rng, p) == (n == 23));
    check_distributions(p, n, 5);
    if (n == 23) {
      const double floor = 1.0 / n / (Softmax::kMarginalDraws + 1.0);  // no entry is 0
      CHECK(*std::min_element(p.begin(), p.end()) >= floor);
    }
  }
  // Logits up to 1e6 apart: exact zeros and ones, no overflow and no 0 / 0.
  Softmax cold(1e-3, false);
  CHECK_FALSE(cold.slot_probabilities(scores_only({1000.0, 999.0, 0.0, 0.0}), 3, rng, p));
  CHECK(p == std::vector<double>{1, 0, 0, 0, 1, 0, 0, 0, 0.5, 0, 0, 0.5});
  // All scores zero under a relative temperature: uniform.
  CHECK_FALSE(softmax.slot_probabilities(scores_only({0.0, 0.0, 0.0}), 2, rng, p));
  for (double x : p) CHECK(x == Approx(1.0 / 3).epsilon(1e-12));
}

TEST_CASE("slot_probabilities enforces its contract", "[policies][explorer]") {
  RngStream rng(ReplicationKey{26, 0}, "test.marginals", 0);
  std::vector<double> p;
  const std::vector<double> two = {0.1, 0.2};
  CHECK_NOTHROW(FlawedExplorer("none").slot_probabilities(scores_only(two), 2, rng, p));
  const std::pair<const char*, const char*> flaws[] = {{"column", "do not sum to 1"},
                                                       {"row", "sum to more than 1"},
                                                       {"negative", "outside [0, 1]"},
                                                       {"size", "wrong size"}};
  for (const auto& [flaw, message] : flaws) {
    INFO(flaw);
    const FlawedExplorer explorer(flaw);
    CHECK_THROWS_AS(explorer.slot_probabilities(scores_only(two), 2, rng, p), std::logic_error);
    CHECK_THROWS_WITH(explorer.slot_probabilities(scores_only(two), 2, rng, p),
                      Catch::Contains(message));
  }
  auto greedy = explorer_registry().create("greedy", ParamValues{});
  CHECK_THROWS_AS(greedy->slot_probabilities(scores_only(two), -1, rng, p), std::invalid_argument);
  for (const char* name : {"ucb1", "thompson"}) {
    INFO(name);
    auto explorer = explorer_registry().create(name, explorer_defaults(name));
    CHECK_THROWS_AS(explorer->slot_probabilities(scores_only(two), 1, rng, p),
                    std::invalid_argument);
  }
}
