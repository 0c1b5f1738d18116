// Explorer propensities against behaviour: softmax's exact Plackett-Luce probabilities,
// epsilon-greedy under decay schedules, and Thompson sampling's Monte Carlo estimates.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/beta_ctr.h"
#include "policies/exploration/epsilon_greedy.h"
#include "policies/exploration/explorer.h"
#include "policies/exploration/softmax.h"
#include "sim/core/rng.h"
#include "tests/models/model_test_support.h"
#include "tests/policies/explorer_test_support.h"

using namespace marketsim;
using marketsim::testing::scores_only;

namespace {

// What was seen of one ordered slate over many draws.
struct SlateStats {
  int count = 0;
  double propensity = 0;      // the last logged propensity
  double propensity_sum = 0;  // over the draws that showed it
  bool always_estimated = true;
};

// Runs `explorer` `draws` times on `input` and tallies the shown ordered slates.
std::map<std::vector<int>, SlateStats> tally(Explorer& explorer, const ExplorationInput& input,
                                             int slots, int draws, RngStream& rng) {
  std::map<std::vector<int>, SlateStats> seen;
  Slate slate;
  for (int i = 0; i < draws; ++i) {
    explorer.choose(input, slots, rng, slate);
    SlateStats& s = seen[std::vector<int>(slate.order.begin(), slate.order.begin() + slate.shown)];
    s.count += 1;
    s.propensity = slate.propensity;
    s.propensity_sum += slate.propensity;
    s.always_estimated = s.always_estimated && slate.propensity_estimated;
  }
  return seen;
}

// Checks exact propensities: constant per slate (to 1e-9 relative, which admits a decaying epsilon
// whose tau is 1e10 times the draws), within 4 binomial standard errors of the slate's
// frequency, summing to one over the `slates` distinct slates. Per-slate false-alarm rate about
// 6e-5 (two-sided 4 sigma), so about 1e-3 for 12 slates.
void check_exact(const std::map<std::vector<int>, SlateStats>& seen, int draws, int slates) {
  REQUIRE(static_cast<int>(seen.size()) == slates);
  double total = 0;
  for (const auto& [shown, s] : seen) {
    const double p = s.propensity;
    const double freq = static_cast<double>(s.count) / draws;
    INFO("slate " << shown[0] << "," << shown[1] << " p = " << p << " freq = " << freq);
    CHECK(s.propensity_sum / s.count == Approx(p).epsilon(1e-9));
    CHECK_FALSE(s.always_estimated);
    CHECK(std::abs(freq - p) < 4 * std::sqrt(p * (1 - p) / draws));
    total += p;
  }
  CHECK(total == Approx(1.0).epsilon(1e-12));
}

}  // namespace

TEST_CASE("softmax propensities are exact Plackett-Luce probabilities",
          "[policies][explorer][statistics]") {
  // Relative temperature 0.5 of the top score 0.04: T = 0.02, logits 2, 0.5, 1.5, 1.
  Softmax softmax(0.5, true);
  const std::vector<double> scores = {0.04, 0.01, 0.03, 0.02};
  RngStream rng(ReplicationKey{11, 0}, "test.softmax", 0);
  const int draws = 200000;
  const auto seen = tally(softmax, scores_only(scores), 2, draws, rng);
  check_exact(seen, draws, 12);
  const double e0 = std::exp(2.0), e1 = std::exp(0.5), e2 = std::exp(1.5), e3 = std::exp(1.0);
  CHECK(seen.at({0, 2}).propensity == Approx(e0 / (e0 + e1 + e2 + e3) * e2 / (e1 + e2 + e3)));
  CHECK(seen.at({1, 3}).propensity == Approx(e1 / (e0 + e1 + e2 + e3) * e3 / (e0 + e2 + e3)));
}

TEST_CASE("softmax handles absolute temperatures, huge scores and all-zero scores",
          "[policies][explorer]") {
  RngStream rng(ReplicationKey{12, 0}, "test.softmax", 0);
  Slate slate;
  Softmax absolute(0.01, false);  // logits 5 and 2
  absolute.choose(scores_only({0.05, 0.02}), 1, rng, slate);
  const double p_top = 1 / (1 + std::exp(-3.0));
  CHECK(slate.propensity == Approx(slate.order[0] == 0 ? p_top : 1 - p_top));
  CHECK(slate.order.size() == 2);  // the runner-up follows
  Softmax cold(1e-3, false);       // logits up to 1e6: exp() would overflow without the shift
  for (int i = 0; i < 100; ++i) {
    cold.choose(scores_only({1000.0, 999.0, 0.0, 0.0}), 2, rng, slate);
    CHECK(slate.order[0] == 0);
    CHECK(slate.order[1] == 1);
    CHECK(slate.propensity == 1.0);
    CHECK_FALSE(slate.explored);
  }
  Softmax relative(0.1, true);
  const int draws = 60000;
  const auto seen = tally(relative, scores_only({0.0, 0.0, 0.0, 0.0}), 2, draws, rng);
  check_exact(seen, draws, 12);
  for (const auto& [shown, s] : seen) CHECK(s.propensity == Approx(1.0 / 12));
}

TEST_CASE("epsilon_t follows its decay schedule", "[policies][explorer]") {
  CHECK(EpsilonGreedy(0.2).epsilon_at(1e6) == 0.2);
  const EpsilonGreedy inverse(0.2, EpsilonDecay::kInverseTime, 100);
  CHECK(inverse.epsilon_at(0) == Approx(0.2));
  CHECK(inverse.epsilon_at(100) == Approx(0.1));
  CHECK(inverse.epsilon_at(300) == Approx(0.05));
  const EpsilonGreedy exponential(0.2, EpsilonDecay::kExponential, 100);
  CHECK(exponential.epsilon_at(0) == Approx(0.2));
  CHECK(exponential.epsilon_at(100) == Approx(0.2 / std::exp(1.0)));

  // Through the interface: request t (0-based) logs (1 - eps_t) + eps_t / 12 for the greedy slate.
  EpsilonGreedy explorer(0.5, EpsilonDecay::kExponential, 100);
  RngStream rng(ReplicationKey{13, 0}, "test.epsilon", 0);
  Slate slate;
  const std::vector<double> scores = {0.4, 0.1, 0.3, 0.2};
  int explored_late = 0;
  for (int t = 0; t < 2000; ++t) {
    explorer.choose(scores_only(scores), 2, rng, slate);
    const double eps = 0.5 * std::exp(-t / 100.0);
    const bool greedy = slate.order[0] == 0 && slate.order[1] == 2;
    CHECK(slate.propensity == Approx((greedy ? 1 - eps : 0.0) + eps / 12).epsilon(1e-12));
    if (t >= 1000) explored_late += slate.explored ? 1 : 0;
  }
  CHECK(explorer.requests_served() == 2000);
  CHECK(explored_late == 0);  // eps_t < 0.5 e^-10 = 2.3e-5 there: P(any) < 0.023
}

TEST_CASE("epsilon-greedy with decay logs propensities that match frequencies",
          "[policies][explorer][statistics]") {
  // tau so large that epsilon_t is constant over the test to 1e-10 relative.
  for (const char* decay : {"inverse_time", "exponential"}) {
    INFO(decay);
    ParamValues p;
    p.set("epsilon", 0.4);
    p.set("decay", std::string(decay));
    p.set("decay_requests", 1e15);
    auto explorer = explorer_registry().create("epsilon_greedy", p);
    RngStream rng(ReplicationKey{14, 0}, std::string("test.epsilon.") + decay, 0);
    const int draws = 100000;
    const auto seen = tally(*explorer, scores_only({0.4, 0.1, 0.3, 0.2}), 2, draws, rng);
    check_exact(seen, draws, 12);
    CHECK(seen.at({0, 2}).propensity == Approx(0.6 + 0.4 / 12));
  }
}

TEST_CASE("thompson's estimated propensities track its slate frequencies",
          "[policies][explorer][statistics]") {
  // A fixed Beta posterior over 4 offers with overlapping beliefs, so many slates occur.
  const testing::TestCatalog catalog(4);
  BetaCtr model(1, 1, catalog.context());
  const RequestFeatures request;
  const int clicks[] = {8, 5, 7, 6};
  for (std::uint32_t offer = 0; offer < 4; ++offer)
    for (int i = 0; i < 40; ++i) model.learn(request, offer, 0, i < clicks[offer]);
  std::vector<std::uint32_t> offers = {0, 1, 2, 3};
  std::vector<double> pctr(4), values(4, 1.0);
  model.predict(request, offers, pctr);
  const ExplorationInput input{pctr, values, pctr, offers, &model, &request};
  const int m = 50;
  ParamValues p;
  p.set("propensity_draws", std::int64_t{m});
  auto thompson = explorer_registry().create("thompson", p);
  RngStream rng(ReplicationKey{15, 0}, "test.thompson", 0);
  const int draws = 20000;
  const auto seen = tally(*thompson, input, 2, draws, rng);
  CHECK(seen.size() == 12);
  // Given slate S (true probability p) occurred n_S times, each estimate is (C + 1) / (M + 1) with
  // C ~ Binomial(M, p) from fresh draws, so their mean has expectation (M p + 1) / (M + 1) and
  // variance M p (1 - p) / ((M + 1)^2 n_S). It is compared with (M f + 1) / (M + 1), f the
  // slate's frequency (variance p (1 - p) / N); the SE combines both, p estimated by f. Slates seen
  // fewer than 50 times are skipped (the normal approximation needs counts). Two-sided 4 sigma:
  // false-alarm rate about 6e-5 per slate.
  int checked = 0;
  for (const auto& [shown, s] : seen) {
    CHECK(s.always_estimated);
    if (s.count < 50) continue;
    const double f = static_cast<double>(s.count) / draws;
    const double mean_estimate = s.propensity_sum / s.count;
    const double expected = (m * f + 1.0) / (m + 1.0);
    const double se = m / (m + 1.0) * std::sqrt(f * (1 - f) * (1.0 / draws + 1.0 / (m * s.count)));
    INFO("slate " << shown[0] << "," << shown[1] << " freq = " << f << " mean estimate = "
                  << mean_estimate << " expected = " << expected << " se = " << se);
    CHECK(std::abs(mean_estimate - expected) < 4 * se);
    ++checked;
  }
  CHECK(checked >= 8);
}

TEST_CASE("thompson skips the propensity estimate only when nobody reads it",
          "[policies][explorer]") {
  const testing::TestCatalog catalog(4);
  BetaCtr model(1, 1, catalog.context());
  const RequestFeatures request;
  for (std::uint32_t offer = 0; offer < 4; ++offer)
    for (int i = 0; i < 40; ++i) model.learn(request, offer, 0, i < 5 + static_cast<int>(offer));
  std::vector<std::uint32_t> offers = {0, 1, 2, 3};
  std::vector<double> pctr(4), values(4, 1.0);
  model.predict(request, offers, pctr);
  ExplorationInput logged{pctr, values, pctr, offers, &model, &request};
  ExplorationInput unlogged = logged;
  unlogged.needs_propensity = false;
  auto thompson = explorer_registry().create("thompson", testing::explorer_defaults("thompson"));
  for (std::uint32_t t = 0; t < 200; ++t) {
    RngStream a(ReplicationKey{16, 0}, "test.thompson", t), b = a;
    Slate with, without;
    thompson->choose(logged, 2, a, with);
    thompson->choose(unlogged, 2, b, without);
    // The same slate from the same stream; the skipped estimate leaves the propensity unset.
    CHECK(with.order == without.order);
    CHECK(with.explored == without.explored);
    CHECK(with.propensity_estimated);
    CHECK_FALSE(without.propensity_estimated);
    CHECK(without.propensity == 1.0);
  }
}
