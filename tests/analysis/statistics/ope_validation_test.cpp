// Validation by simulation of the OPE estimators on a contextual slate problem whose true target
// value is known exactly: unbiasedness, standard errors that match the spread across
// replications, and a wrong reward model that biases dm but not dr.
#include <catch2/catch.hpp>

#include <boost/math/distributions/chi_squared.hpp>

#include <array>
#include <cmath>
#include <string_view>

#include "analysis/statistics/moment_sums.h"
#include "analysis/statistics/ope_estimators.h"
#include "sim/core/rng.h"

using namespace marketsim;

namespace {

constexpr int kContexts = 3;
constexpr int kItems = 5;
constexpr int kSlots = 2;
constexpr std::array<double, kContexts> kContextShare = {0.5, 0.3, 0.2};
// Click probability of each item in slot 0 by context; slot 1 multiplies by the position bias.
constexpr double kBaseCtr[kContexts][kItems] = {
    {0.30, 0.20, 0.10, 0.05, 0.15},
    {0.05, 0.25, 0.35, 0.10, 0.20},
    {0.15, 0.10, 0.05, 0.40, 0.30},
};
constexpr std::array<double, kSlots> kPositionBias = {1.0, 0.6};
// The logging policy's greedy slate per context (its first choice in slot 0, second in slot 1),
// shown with probability 1 - kEpsilon; otherwise a uniformly random ordered pair of items.
constexpr int kGreedy[kContexts][kSlots] = {{4, 3}, {0, 1}, {1, 4}};
constexpr double kEpsilon = 0.3;
// The target policy: Plackett-Luce over softmax(ctr / kTemperature) of the true slot-0 CTRs.
constexpr double kTemperature = 0.1;

using Table = std::array<std::array<std::array<double, kItems>, kSlots>, kContexts>;

double ctr(int x, int s, int a) { return kBaseCtr[x][a] * kPositionBias[s]; }

// Exact marginals pi(a | x, s) of both policies, importance weights, and the reward models.
struct Problem {
  Table logging{}, target{}, weight{};
  std::array<double, kContexts> dm_true{}, dm_wrong{};  // dm_i by context, per reward model
  double truth = 0;          // E over contexts of the target's expected clicks per request
  double dm_wrong_mean = 0;  // what dm converges to with the wrong model
  std::array<double, kSlots> snips_bias_per_n{};  // first-order bias of slot s's ratio, times N

  // The wrong reward model ignores the position bias: it predicts the slot-0 CTR everywhere.
  static double wrong_model(int x, int, int a) { return kBaseCtr[x][a]; }

  Problem() {
    for (int x = 0; x < kContexts; ++x) {
      std::array<double, kItems> p{};
      double z = 0;
      for (int a = 0; a < kItems; ++a) z += p[a] = std::exp(kBaseCtr[x][a] / kTemperature);
      for (int a = 0; a < kItems; ++a) p[a] /= z;
      for (int a = 0; a < kItems; ++a) {
        target[x][0][a] = p[a];
        // Slot 1 holds a after some b != a took slot 0: sum_b p_b p_a / (1 - p_b).
        for (int b = 0; b < kItems; ++b) {
          if (b != a) target[x][1][a] += p[b] * p[a] / (1 - p[b]);
        }
        for (int s = 0; s < kSlots; ++s) {
          // A uniformly random ordered pair puts each item in each slot with probability 1/K.
          logging[x][s][a] = kEpsilon / kItems + (kGreedy[x][s] == a ? 1 - kEpsilon : 0.0);
        }
      }
      for (int s = 0; s < kSlots; ++s) {
        for (int a = 0; a < kItems; ++a) {
          weight[x][s][a] = target[x][s][a] / logging[x][s][a];
          dm_true[x] += target[x][s][a] * ctr(x, s, a);
          dm_wrong[x] += target[x][s][a] * wrong_model(x, s, a);
        }
      }
      truth += kContextShare[x] * dm_true[x];
      dm_wrong_mean += kContextShare[x] * dm_wrong[x];
    }
    // snips's slot ratio sum(w r) / sum(w) has E[w] = 1 and first-order bias (E[w r] Var(w) -
    // Cov(w r, w)) / N, from the second-order Taylor expansion of a / b; every request shows both
    // slots, so the N_s / N factors are 1.
    for (int s = 0; s < kSlots; ++s) {
      double wr = 0, w2 = 0, w2r = 0;
      for (int x = 0; x < kContexts; ++x) {
        for (int a = 0; a < kItems; ++a) {
          const double p = kContextShare[x] * logging[x][s][a];
          const double w = weight[x][s][a];
          wr += p * w * ctr(x, s, a);
          w2 += p * w * w;
          w2r += p * w * w * ctr(x, s, a);
        }
      }
      snips_bias_per_n[s] = wr * (w2 - 1) - (w2r - wr);
    }
  }
};

// Replicate r: N logged requests scored by one accumulator per reward model.
void replicate(const Problem& problem, int requests, std::uint64_t r, OpeAccumulator& wrong,
               OpeAccumulator& right) {
  RngStream rng(ReplicationKey{17, r}, "test.statistics.ope", 0);
  for (int i = 0; i < requests; ++i) {
    const double u = rng.uniform();
    const int x = u < kContextShare[0] ? 0 : u < kContextShare[0] + kContextShare[1] ? 1 : 2;
    int slate[kSlots] = {kGreedy[x][0], kGreedy[x][1]};
    if (rng.uniform() < kEpsilon) {
      slate[0] = static_cast<int>(rng.uniform() * kItems);
      slate[1] = static_cast<int>(rng.uniform() * (kItems - 1));
      if (slate[1] >= slate[0]) ++slate[1];
    }
    wrong.begin_request(problem.dm_wrong[x]);
    right.begin_request(problem.dm_true[x]);
    for (int s = 0; s < kSlots; ++s) {
      const int a = slate[s];
      const double click = rng.uniform() < ctr(x, s, a) ? 1.0 : 0.0;
      const double w = problem.weight[x][s][a];
      wrong.add_slot(s, w, click, Problem::wrong_model(x, s, a));
      right.add_slot(s, w, click, ctr(x, s, a));
    }
  }
}

// One estimator across replications: the spread of its values and the mean reported se^2.
struct Spread {
  MomentSums values;
  MomentSums reported_variance;
  double mean() const { return values.mean(); }
  // Standard error of the mean over replications.
  double se_of_mean() const { return std::sqrt(values.variance() / values.n); }
  // Variance across replications over the mean reported variance: ~1 if the se is right.
  double variance_ratio() const { return values.variance() / reported_variance.mean(); }
};

}  // namespace

TEST_CASE(
    "OPE on a synthetic slate problem: unbiased ips, snips and dr, honest standard errors, "
    "dm biased by a wrong reward model",
    "[experiment_stats][validation]") {
  constexpr int kReplications = 1000;
  constexpr int kRequests = 2000;
  const Problem problem;
  std::array<Spread, 4> wrong;  // dm, ips, snips, dr with the wrong model
  Spread dm_right;
  MomentSums mean_weight[kSlots];
  for (int r = 0; r < kReplications; ++r) {
    OpeAccumulator wrong_model, right_model;
    replicate(problem, kRequests, static_cast<std::uint64_t>(r), wrong_model, right_model);
    const OpeResult result = wrong_model.result();
    for (int e = 0; e < 4; ++e) {
      wrong[e].values.add(result.estimates[e].value);
      wrong[e].reported_variance.add(result.estimates[e].se * result.estimates[e].se);
    }
    const OpeEstimate dm = right_model.result().estimate("dm");
    dm_right.values.add(dm.value);
    dm_right.reported_variance.add(dm.se * dm.se);
    for (int s = 0; s < kSlots; ++s) mean_weight[s].add(result.slots[s].mean_weight);
  }
  const Spread& dm = wrong[0];
  const Spread& ips = wrong[1];
  const Spread& snips = wrong[2];
  const Spread& dr = wrong[3];
  INFO("truth " << problem.truth << " dm " << dm.mean() << " ips " << ips.mean() << " snips "
                << snips.mean() << " dr " << dr.mean() << " (se " << ips.se_of_mean() << ")");

  // Unbiasedness: the mean over replications within 3 of its standard errors of the truth. snips
  // is compared with the truth plus its first-order O(1/N) bias (second-order terms are O(1/N^2),
  // ~1e-7 here).
  const double snips_bias = (problem.snips_bias_per_n[0] + problem.snips_bias_per_n[1]) / kRequests;
  CHECK(std::abs(ips.mean() - problem.truth) <= 3 * ips.se_of_mean());
  CHECK(std::abs(snips.mean() - (problem.truth + snips_bias)) <= 3 * snips.se_of_mean());
  CHECK(std::abs(dr.mean() - problem.truth) <= 3 * dr.se_of_mean());
  CHECK(std::abs(dm_right.mean() - problem.truth) <= 3 * dm_right.se_of_mean());
  // The wrong model (no position bias) overstates slot 1's clicks: dm converges to its own
  // expectation, many standard errors from the truth, while dr above stays unbiased.
  CHECK(std::abs(dm.mean() - problem.dm_wrong_mean) <= 3 * dm.se_of_mean());
  CHECK(std::abs(dm.mean() - problem.truth) > 10 * dm.se_of_mean());

  // Standard errors: over R replications of a (by the CLT, normal) estimator with variance
  // sigma^2, (R - 1) s^2 / sigma^2 is chi-square with R - 1 df; the mean reported variance
  // estimates sigma^2 far more precisely (it averages R estimates). So s^2 / mean(se^2) must lie
  // within the chi-square's 0.135% and 99.865% quantiles over R - 1 (the +-3 sigma band),
  // about [0.87, 1.14] for R = 1000. Non-normality widens the spread of s^2 by the excess
  // kurtosis of one replicate, that of a request (~27 for ips, measured) over N: 2 / (R - 1)
  // becomes 2 / (R - 1) + 0.013 / R, under 1% more.
  const boost::math::chi_squared_distribution<double> chi2(kReplications - 1);
  const double low = boost::math::quantile(chi2, 0.00135) / (kReplications - 1);
  const double high = boost::math::quantile(chi2, 0.99865) / (kReplications - 1);
  for (const Spread* spread : std::array<const Spread*, 5>{&dm, &ips, &snips, &dr, &dm_right}) {
    INFO("variance ratio " << spread->variance_ratio() << " band [" << low << ", " << high << "]");
    CHECK(spread->variance_ratio() >= low);
    CHECK(spread->variance_ratio() <= high);
  }

  // Diagnostics: the mean weight per slot is 1 in expectation (exact marginals, full support),
  // with variance (E[w^2] - 1) / N per replication.
  for (int s = 0; s < kSlots; ++s) {
    CHECK(std::abs(mean_weight[s].mean() - 1.0) <=
          3 * std::sqrt(mean_weight[s].variance() / kReplications));
  }
}
