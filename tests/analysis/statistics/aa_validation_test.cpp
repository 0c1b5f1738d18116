// Validation by simulation of the A/B tests' error rates: fixed-horizon Welch, peeking at daily
// looks, the always-valid mSPRT p-value, and the delta-method ratio test with clustered clicks.
#include <catch2/catch.hpp>

#include <boost/random/beta_distribution.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>

#include <cmath>

#include "analysis/statistics/ab_tests.h"
#include "analysis/statistics/msprt.h"
#include "sim/core/rng.h"

using namespace marketsim;

namespace {

constexpr double kAlpha = 0.05;
constexpr int kExperiments = 5000;

// Binomial standard error of a rejection rate estimated from kExperiments experiments whose true
// rate is kAlpha: sqrt(0.05 * 0.95 / 5000) = 0.00308, so 3 SE = 0.0092.
const double kRateSe = std::sqrt(kAlpha * (1 - kAlpha) / kExperiments);

// How often each procedure rejected H0 over a set of simulated experiments.
struct Rates {
  double final_look = 0;  // fixed-horizon Welch test at the last look
  double any_look = 0;    // Welch at every look, stopping at the first p < alpha (peeking)
  double msprt = 0;       // always-valid mSPRT p-value ever <= alpha
};

// Experiments with 14 daily looks; each day adds 200 users per arm whose revenue is N(10, 3^2)
// in control and N(10 + effect, 3^2) in treatment. The mSPRT's tau is 0.1 per-unit standard
// deviations (the true sd, as if from a pre-period).
Rates simulate(int experiments, double effect, std::uint64_t seed) {
  constexpr int kLooks = 14;
  constexpr int kUsersPerLook = 200;
  constexpr double kMean = 10.0;
  constexpr double kSd = 3.0;
  const double tau = msprt_tau_for_effect_size(0.1, kSd);
  Rates rates;
  for (int e = 0; e < experiments; ++e) {
    RngStream rng(ReplicationKey{seed, static_cast<std::uint64_t>(e)}, "test.statistics.aa", 0);
    boost::random::normal_distribution<double> control_revenue(kMean, kSd);
    boost::random::normal_distribution<double> treatment_revenue(kMean + effect, kSd);
    MomentSums treatment, control;
    MsprtPath path(tau);
    bool peeked = false;
    TestResult result;
    for (int look = 0; look < kLooks; ++look) {
      for (int u = 0; u < kUsersPerLook; ++u) {
        treatment.add(treatment_revenue(rng));
        control.add(control_revenue(rng));
      }
      result = welch_test(treatment, control);
      peeked = peeked || result.p_value < kAlpha;
      path.look(result);
    }
    rates.final_look += result.p_value < kAlpha;
    rates.any_look += peeked;
    rates.msprt += path.p_value() <= kAlpha;
  }
  rates.final_look /= experiments;
  rates.any_look /= experiments;
  rates.msprt /= experiments;
  return rates;
}

}  // namespace

TEST_CASE("A/A: Welch holds alpha at a fixed horizon, peeking inflates it, mSPRT does not",
          "[experiment_stats][validation]") {
  const Rates rates = simulate(kExperiments, 0.0, 1);
  INFO("final " << rates.final_look << " any look " << rates.any_look << " msprt " << rates.msprt
                << " (3 SE = " << 3 * kRateSe << ")");
  CHECK(std::abs(rates.final_look - kAlpha) <= 3 * kRateSe);
  // Stopping at the first of 14 looks with p < 0.05 rejects about 20% of A/A tests.
  CHECK(rates.any_look > kAlpha + 3 * kRateSe);
  CHECK(rates.msprt <= kAlpha + 3 * kRateSe);
}

TEST_CASE("mSPRT detects a 0.2 sd effect within 14 looks", "[experiment_stats][validation]") {
  // At the last look (2800 users per arm) V = 2 * 9 / 2800 = 0.00643 and tau^2 = 0.09, so
  // p <= 0.05 once tau^2 theta^2 / (2 V (V + tau^2)) >= ln 20 + ln(sqrt((V + tau^2) / V)), i.e.
  // theta_hat >= 0.245. The true effect is 0.6 with sd(theta_hat) = sqrt(V) = 0.080, so the last
  // look alone fails with probability Phi(-4.43) = 5e-6: require at least 99% of 200 to reject.
  const Rates rates = simulate(200, 0.6, 2);
  CHECK(rates.msprt >= 0.99);
  CHECK(rates.final_look >= 0.99);
}

TEST_CASE(
    "A/A: the delta-method CTR test holds alpha with users as units; the naive binomial "
    "test on impressions does not",
    "[experiment_stats][validation]") {
  // 500 users per arm, each with 1 + Poisson(9) impressions and a personal CTR ~ Beta(1, 4)
  // (mean 0.2): clicks of one user are correlated (intra-user correlation 1 / (1 + 4 + 1) = 1/6),
  // so the binomial variance R (1 - R) / impressions understates the variance of the CTR about
  // 2.5-fold (design effect 1 + (m - 1) / 6 with m ~ 10 impressions per user).
  constexpr int kUsers = 500;
  double delta_rejections = 0;
  double naive_rejections = 0;
  for (int e = 0; e < kExperiments; ++e) {
    RngStream rng(ReplicationKey{3, static_cast<std::uint64_t>(e)}, "test.statistics.ratio", 0);
    boost::random::poisson_distribution<int> extra_impressions(9.0);
    boost::random::beta_distribution<double> user_ctr(1.0, 4.0);
    RatioSums arms[2];
    for (RatioSums& arm : arms) {
      for (int u = 0; u < kUsers; ++u) {
        const int impressions = 1 + extra_impressions(rng);
        boost::random::binomial_distribution<int> clicks(impressions, user_ctr(rng));
        arm.add(clicks(rng), impressions);
      }
    }
    const TestResult delta = ratio_delta_test(arms[0], arms[1]);
    delta_rejections += delta.p_value < kAlpha;
    double naive_variance = 0;
    for (const RatioSums& arm : arms) {
      naive_variance += arm.ratio() * (1 - arm.ratio()) / arm.sum_x;
    }
    naive_rejections += std::abs(delta.estimate) / std::sqrt(naive_variance) > 1.959963984540054;
  }
  const double delta_rate = delta_rejections / kExperiments;
  const double naive_rate = naive_rejections / kExperiments;
  INFO("delta " << delta_rate << " naive " << naive_rate);
  CHECK(std::abs(delta_rate - kAlpha) <= 3 * kRateSe);
  CHECK(naive_rate > kAlpha + 3 * kRateSe);
}
