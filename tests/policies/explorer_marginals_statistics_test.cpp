// Explorer slot probabilities against behaviour: how often choose() puts each candidate in each
// slot, for the exact explorers, softmax's Monte Carlo path and Thompson sampling's estimates.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/beta_ctr.h"
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

// How often choose() showed each candidate in each slot over `draws` calls (n x k row-major).
std::vector<double> slot_frequencies(Explorer& explorer, const ExplorationInput& input, int slots,
                                     int draws, RngStream& rng) {
  const int n = static_cast<int>(input.scores.size());
  const int k = std::min(slots, n);
  std::vector<int> count(static_cast<std::size_t>(n) * k, 0);
  Slate slate;
  for (int d = 0; d < draws; ++d) {
    explorer.choose(input, slots, rng, slate);
    for (int s = 0; s < k; ++s) ++count[static_cast<std::size_t>(slate.order[s]) * k + s];
  }
  std::vector<double> f(count.size());
  for (std::size_t j = 0; j < f.size(); ++j) f[j] = static_cast<double>(count[j]) / draws;
  return f;
}

// Checks exact probabilities `p` against frequencies `f` over `draws` choices: where p is 0 or 1
// the frequency must equal it, elsewhere lie within 4 binomial standard errors sqrt(p (1 - p) /
// draws). Two-sided 4 sigma (normal approximation; every cell checked here expects hundreds of
// counts): a false alarm about 6e-5 per cell. Returns the number of cells with p in (0, 1).
int check_exact(const std::vector<double>& p, const std::vector<double>& f, int draws) {
  REQUIRE(p.size() == f.size());
  int random_cells = 0;
  for (std::size_t j = 0; j < p.size(); ++j) {
    INFO("cell " << j << " p = " << p[j] << " freq = " << f[j]);
    if (p[j] == 0.0 || p[j] == 1.0) {
      CHECK(f[j] == p[j]);
      continue;
    }
    CHECK(std::abs(f[j] - p[j]) < 4 * std::sqrt(p[j] * (1 - p[j]) / draws));
    ++random_cells;
  }
  return random_cells;
}

// Checks estimates (C + 1/n) / (M + 1), C ~ Binomial(M, q) for the true probability q, against
// frequencies f over `draws` choices (variance q (1 - q) / draws). The estimate's expectation is
// (M q + 1/n) / (M + 1), compared as (M f + 1/n) / (M + 1); the standard error of the difference
// is M / (M + 1) sqrt(q (1 - q) (1 / M + 1 / draws)), q estimated by f. Cells seen fewer than 50
// times, or all but 50, are skipped (the normal approximation needs counts). Two-sided 4 sigma:
// a false alarm about 6e-5 per cell. Returns the number of cells checked.
int check_estimated(const std::vector<double>& p, const std::vector<double>& f, int n, int m,
                    int draws) {
  REQUIRE(p.size() == f.size());
  int checked = 0;
  for (std::size_t j = 0; j < p.size(); ++j) {
    if (std::min(f[j], 1 - f[j]) * draws < 50) continue;
    const double expected = (m * f[j] + 1.0 / n) / (m + 1.0);
    const double se = m / (m + 1.0) * std::sqrt(f[j] * (1 - f[j]) * (1.0 / m + 1.0 / draws));
    INFO("cell " << j << " estimate = " << p[j] << " freq = " << f[j] << " expected = " << expected
                 << " se = " << se);
    CHECK(std::abs(p[j] - expected) < 4 * se);
    ++checked;
  }
  return checked;
}

}  // namespace

TEST_CASE("exact slot probabilities match how often choose() fills each slot with each candidate",
          "[policies][explorer][statistics]") {
  // Five offers with different evidence behind different means (so UCB1's bonuses differ); the
  // model is trained, then fixed. Three slots.
  const TestCatalog catalog(5);
  BetaCtr model(1, 1, catalog.context());
  const RequestFeatures request;
  const int clicks[] = {1, 12, 9, 2, 10}, shown[] = {5, 40, 20, 10, 30};
  for (std::uint32_t offer = 0; offer < 5; ++offer)
    for (int i = 0; i < shown[offer]; ++i) model.learn(request, offer, 0, i < clicks[offer]);
  ModelInput in(model, 5);
  // A constant epsilon and a temperature (half the top score) that spreads softmax's choices.
  ParamValues epsilon = explorer_defaults("epsilon_greedy");
  epsilon.set("epsilon", 0.3);
  ParamValues softmax = explorer_defaults("softmax");
  softmax.set("temperature", 0.5);
  const std::pair<const char*, ParamValues> configs[] = {{"greedy", explorer_defaults("greedy")},
                                                         {"epsilon_greedy", epsilon},
                                                         {"softmax", softmax},
                                                         {"ucb1", explorer_defaults("ucb1")}};
  // 15 cells each for epsilon-greedy and softmax (greedy and UCB1 must match exactly): a false
  // alarm about 2e-3 in all.
  const int draws = 100000;
  for (const auto& [name, params] : configs) {
    INFO(name);
    auto explorer = explorer_registry().create(name, params);
    RngStream rng(ReplicationKey{31, 0}, std::string("test.marginals.") + name, 0);
    std::vector<double> p;
    CHECK_FALSE(explorer->slot_probabilities(in.input, 3, rng, p));
    const auto f = slot_frequencies(*explorer, in.input, 3, draws, rng);
    const int random_cells = check_exact(p, f, draws);
    CHECK(random_cells == (name == std::string("greedy") || name == std::string("ucb1") ? 0 : 15));
  }
}

TEST_CASE("softmax's Monte Carlo slot probabilities match choose() and the closed-form top slot",
          "[policies][explorer][statistics]") {
  // 11 candidates and 7 slots: 11 * 10 * ... * 6 = 332640 prefixes, so the probabilities are
  // estimated from M = Softmax::kMarginalDraws Gumbel-top-k draws. Scores 0.01..0.11 at half the
  // top score: logits 0.18..2.
  Softmax softmax(0.5, true);
  std::vector<double> scores(11);
  for (int i = 0; i < 11; ++i) scores[i] = 0.01 * (i + 1);
  RngStream rng(ReplicationKey{32, 0}, "test.marginals.softmax", 0);
  std::vector<double> p;
  REQUIRE(softmax.slot_probabilities(scores_only(scores), 7, rng, p));
  const int m = Softmax::kMarginalDraws, draws = 100000;
  const auto f = slot_frequencies(softmax, scores_only(scores), 7, draws, rng);
  // All 77 cells are common enough to check, and 11 for the top slot below: a false alarm about
  // 6e-3 in all.
  CHECK(check_estimated(p, f, 11, m, draws) == 77);
  // Slot 0 against the closed form q = softmax: the estimate has mean (M q + 1/n) / (M + 1) and
  // standard error sqrt(M q (1 - q)) / (M + 1).
  double total = 0;
  for (double s : scores) total += std::exp(s / 0.055);
  for (int i = 0; i < 11; ++i) {
    const double q = std::exp(scores[i] / 0.055) / total;
    const double expected = (m * q + 1.0 / 11) / (m + 1.0);
    INFO("candidate " << i << " q = " << q << " estimate = " << p[i * 7]);
    CHECK(std::abs(p[i * 7] - expected) < 4 * std::sqrt(m * q * (1 - q)) / (m + 1.0));
  }
}

TEST_CASE("thompson's slot probabilities match how often choose() fills each slot",
          "[policies][explorer][statistics]") {
  // The fixed Beta posterior of the propensity test: 4 offers with overlapping beliefs. choose()
  // runs with M = 1 (its propensities are not used here); the slot probabilities with M = 20000.
  const TestCatalog catalog(4);
  BetaCtr model(1, 1, catalog.context());
  const RequestFeatures request;
  const int clicks[] = {8, 5, 7, 6};
  for (std::uint32_t offer = 0; offer < 4; ++offer)
    for (int i = 0; i < 40; ++i) model.learn(request, offer, 0, i < clicks[offer]);
  ModelInput in(model, 4);
  const int m = 20000, draws = 50000;
  ParamValues chooser, estimator;
  chooser.set("propensity_draws", std::int64_t{1});
  estimator.set("propensity_draws", std::int64_t{m});
  auto chooses = explorer_registry().create("thompson", chooser);
  auto estimates = explorer_registry().create("thompson", estimator);
  RngStream rng(ReplicationKey{33, 0}, "test.marginals.thompson", 0);
  std::vector<double> p;
  REQUIRE(estimates->slot_probabilities(in.input, 2, rng, p));
  const auto f = slot_frequencies(*chooses, in.input, 2, draws, rng);
  // 8 cells: a false alarm about 5e-4.
  CHECK(check_estimated(p, f, 4, m, draws) == 8);
}
