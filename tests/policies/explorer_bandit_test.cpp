// Validation against bandit theory: on a K-armed Bernoulli bandit Thompson sampling's regret grows
// logarithmically (Agrawal & Goyal 2012) and stays below epsilon-greedy's, which grows linearly.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "models/beta_ctr.h"
#include "policies/exploration/explorer.h"
#include "sim/core/rng.h"
#include "tests/models/model_test_support.h"

using namespace marketsim;

namespace {

// True click probabilities of the arms; one slot, value per click 1, so score = pCTR.
constexpr std::array<double, 5> kMeans = {0.02, 0.04, 0.06, 0.08, 0.10};
constexpr int kHorizon = 4000;  // T; regret is read at T/8, T and 8T
constexpr int kReplicas = 40;

// Cumulative expected (pseudo-)regret sum_t (max mean - mean of the arm shown) of one replica at
// T/8, T and 8T. The model is a flat Beta(1, 1) per arm learning from every round. Outcomes come
// from the replica's own stream, one uniform per round, so two explorers run on one replica see
// the same noise (paired comparison).
std::array<double, 3> regret_path(const std::string& name, const ParamValues& params,
                                  std::uint64_t replica) {
  auto explorer = explorer_registry().create(name, params);
  const testing::TestCatalog catalog(kMeans.size());
  BetaCtr model(1, 1, catalog.context());
  const RequestFeatures features;
  std::vector<std::uint32_t> arms = {0, 1, 2, 3, 4};
  std::vector<double> pctr(kMeans.size()), values(kMeans.size(), 1.0);
  const ExplorationInput input{pctr, values, pctr, arms, &model, &features};
  RngStream policy_rng(ReplicationKey{2012, replica}, "test.bandit.policy", 0);
  RngStream outcome_rng(ReplicationKey{2012, replica}, "test.bandit.outcome", 0);
  Slate slate;
  double regret = 0;
  std::array<double, 3> path{};
  for (int t = 1; t <= 8 * kHorizon; ++t) {
    model.predict(features, arms, pctr);
    explorer->choose(input, 1, policy_rng, slate);
    const int arm = slate.order[0];
    regret += kMeans.back() - kMeans[arm];
    model.learn(features, arms[arm], 0, outcome_rng.uniform() < kMeans[arm]);
    if (t == kHorizon / 8) path[0] = regret;
    if (t == kHorizon) path[1] = regret;
  }
  path[2] = regret;
  return path;
}

// Mean and standard error over replicas.
struct MeanSe {
  double mean = 0;
  double se = 0;
};

MeanSe mean_se(const std::vector<double>& x) {
  MeanSe out;
  for (double v : x) out.mean += v / x.size();
  double ss = 0;
  for (double v : x) ss += (v - out.mean) * (v - out.mean);
  out.se = std::sqrt(ss / (x.size() - 1) / x.size());
  return out;
}

}  // namespace

TEST_CASE("thompson sampling's bandit regret is logarithmic and below epsilon-greedy's",
          "[policies][explorer][statistics][bandit]") {
  ParamValues thompson;
  thompson.set("propensity_draws", std::int64_t{1});  // propensities are not used here
  ParamValues epsilon;
  epsilon.set("epsilon", 0.1);
  epsilon.set("decay", std::string("constant"));
  epsilon.set("decay_requests", 1e5);
  // Per replica: D1 = R(T) - R(T/8) and D2 = R(8T) - R(T). Regret a + c ln t (logarithmic) gives
  // D1 = D2 = c ln 8, with c estimated from the previous octave rather than assumed; linear regret
  // gives D2 = 7 R(T) and D2 = 8 D1.
  std::vector<double> octave_change, below_linear, th_last, eps_octave_change, eps_minus_th;
  for (std::uint64_t r = 0; r < kReplicas; ++r) {
    const auto th = regret_path("thompson", thompson, r);
    const auto eps = regret_path("epsilon_greedy", epsilon, r);
    octave_change.push_back((th[2] - th[1]) - (th[1] - th[0]));
    below_linear.push_back(7 * th[1] / 4 - (th[2] - th[1]));
    eps_octave_change.push_back((eps[2] - eps[1]) - (eps[1] - eps[0]));
    eps_minus_th.push_back(eps[2] - th[2]);
  }
  // Each check is a z-test on R = 40 replicas (normal approximation). Across four seed sets during
  // development the statistics were: D2 - D1 at z in [-0.6, 0.4]; the margin below a quarter of
  // the linear extrapolation at z in [8, 10]; epsilon-greedy minus Thompson at z in [5.4, 14]
  // with 30 replicas (z grows by sqrt(40 / 30) = 1.15 with 40). False alarms (failing although
  // Thompson sampling is correct): about 6e-5 for the two-sided consistency check, and below 1e-4
  // for the two one-sided checks, whose expected z is at least 8 (P(Z < 4 - 8) = 3e-5);
  // heavier-than-normal tails of epsilon-greedy's regret (it can lock onto a bad arm) make 1e-3 an
  // honest bound overall.
  const MeanSe consistency = mean_se(octave_change);
  INFO("D2 - D1 = " << consistency.mean << " +- " << consistency.se);
  CHECK(std::abs(consistency.mean) < 4 * consistency.se);
  const MeanSe sublinear = mean_se(below_linear);
  INFO("7 R(T) / 4 - D2 = " << sublinear.mean << " +- " << sublinear.se);
  CHECK(sublinear.mean > 4 * sublinear.se);
  // Power: the same consistency statistic flags epsilon-greedy's linear regret.
  const MeanSe eps_consistency = mean_se(eps_octave_change);
  INFO("epsilon-greedy D2 - D1 = " << eps_consistency.mean << " +- " << eps_consistency.se);
  CHECK(eps_consistency.mean > 4 * eps_consistency.se);
  const MeanSe paired = mean_se(eps_minus_th);
  INFO("R_eps(8T) - R_thompson(8T) = " << paired.mean << " +- " << paired.se);
  CHECK(paired.mean > 4 * paired.se);
}
