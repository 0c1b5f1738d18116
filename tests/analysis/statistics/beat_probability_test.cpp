// beta_binomial_beat_probability against closed forms, Evan Miller's exact sum in 50-digit
// arithmetic, and the Edgeworth-corrected normal approximation for millions of trials.
#include <catch2/catch.hpp>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "analysis/statistics/beat_probability.h"

using namespace marketsim;

namespace {

using Float50 = boost::multiprecision::cpp_bin_float_50;

// The function's documented accuracy (absolute), checked against references exact to ~1e-45.
constexpr double kAccuracy = 1e-13;

// Evan Miller's exact P(p_b > p_a) for p_a ~ Beta(alpha_a, beta_a), p_b ~ Beta(alpha_b, beta_b)
// with integer alpha_b ("Formulas for Bayesian A/B testing", 2015): the sum over i < alpha_b of
//   B(alpha_a + i, beta_a + beta_b) / ((beta_b + i) B(1 + i, beta_b) B(alpha_a, beta_a)),
// all terms positive. Term 0 from log-gammas, then term ratios
//   t_{i+1} / t_i = (alpha_a + i) (beta_b + i) (1 + i + beta_b) /
//                   ((alpha_a + i + beta_a + beta_b) (beta_b + i + 1) (1 + i)),
// all in 50-digit arithmetic, so rounding stays far below 1e-40 for 1e5 terms.
double miller(double alpha_a, double beta_a, long alpha_b, double beta_b) {
  using boost::math::lgamma;
  const Float50 aa(alpha_a), ba(beta_a), bb(beta_b);
  Float50 term = exp(lgamma(aa) + lgamma(ba + bb) - lgamma(aa + ba + bb) - log(bb) -
                     (lgamma(Float50(1)) + lgamma(bb) - lgamma(1 + bb)) -
                     (lgamma(aa) + lgamma(ba) - lgamma(aa + ba)));
  Float50 sum = 0;
  for (long i = 0; i < alpha_b; ++i) {
    sum += term;
    const Float50 fi(i);
    term *=
        (aa + fi) * (bb + fi) * (1 + fi + bb) / ((aa + fi + ba + bb) * (bb + fi + 1) * (1 + fi));
  }
  return static_cast<double>(sum);
}

}  // namespace

TEST_CASE("beat probability of closed-form cases", "[experiment_stats]") {
  // Beta(1, 1) vs Beta(1, 1): identical, 1/2.
  CHECK(beta_binomial_beat_probability(0, 0, 0, 0) == Approx(0.5).margin(kAccuracy));
  // One success in one trial vs no data: Beta(2, 1) vs Beta(1, 1), int 2x * x dx = 2/3.
  CHECK(beta_binomial_beat_probability(1, 1, 0, 0) == Approx(2.0 / 3.0).margin(kAccuracy));
  CHECK(beta_binomial_beat_probability(0, 0, 1, 1) == Approx(1.0 / 3.0).margin(kAccuracy));
  // Jeffreys prior, no data: Beta(1/2, 1/2) twice, densities infinite at both ends; 1/2.
  CHECK(beta_binomial_beat_probability(0, 0, 0, 0, 0.5, 0.5) == Approx(0.5).margin(kAccuracy));
  // Symmetric data: equal arms give 1/2 at any size.
  CHECK(beta_binomial_beat_probability(5e4, 1e6, 5e4, 1e6) == Approx(0.5).margin(kAccuracy));
}

TEST_CASE("beat probability matches Evan Miller's exact sum", "[experiment_stats]") {
  // 30 of 100 vs 20 of 100, uniform prior: Beta(31, 71) vs Beta(21, 81).
  CHECK(beta_binomial_beat_probability(30, 100, 20, 100) ==
        Approx(miller(21, 81, 31, 71)).margin(kAccuracy));
  // A singular posterior: 3 of 3 with prior Beta(1, 1/2) is Beta(4, 1/2), density infinite at 1;
  // control 5 of 8: Beta(6, 3.5). Miller's sum needs only alpha_b integer.
  CHECK(beta_binomial_beat_probability(3, 3, 5, 8, 1.0, 0.5) ==
        Approx(miller(6, 3.5, 4, 0.5)).margin(kAccuracy));
  // 2 of 2 vs 1 of 1 with that prior: Beta(3, 1/2) vs Beta(2, 1/2). Mirrored near 1, the narrower
  // becomes Beta(1/2, 3), whose lower quantiles below 6e-10 Boost 1.74 fails to find; the
  // bracketing fallback must take over.
  CHECK(beta_binomial_beat_probability(2, 2, 1, 1, 1.0, 0.5) ==
        Approx(miller(2, 0.5, 3, 0.5)).margin(kAccuracy));
  // A wide treatment against a narrow control, then the reverse (the narrower one is sampled):
  // 2 of 40 vs 2000 of 60000, and P(control beats) = 1 - P(treatment beats) summed over alpha 3.
  const double wide_vs_narrow = beta_binomial_beat_probability(2, 40, 2000, 60000);
  CHECK(wide_vs_narrow == Approx(miller(2001, 58001, 3, 39)).margin(kAccuracy));
  CHECK(beta_binomial_beat_probability(2000, 60000, 2, 40) ==
        Approx(1.0 - wide_vs_narrow).margin(2 * kAccuracy));
  // Equal spreads on opposite sides of 1/2, 7 of 8 vs 1 of 8: Beta(8, 2) vs Beta(2, 8), mirrored
  // into the same pair.
  CHECK(beta_binomial_beat_probability(7, 8, 1, 8) == Approx(miller(2, 8, 8, 2)).margin(kAccuracy));
  // A million trials per arm, 5.0% vs 4.9%: 50001 terms.
  CHECK(beta_binomial_beat_probability(50000, 1e6, 49000, 1e6) ==
        Approx(miller(49001, 951001, 50001, 950001)).margin(kAccuracy));
  // Ten million trials, 1 vs 3 successes: Beta(2, 1e7 - 1 + 1) vs Beta(4, 1e7 - 3 + 1).
  CHECK(beta_binomial_beat_probability(1, 1e7, 3, 1e7) ==
        Approx(miller(4, 1e7 - 2, 2, 1e7)).margin(kAccuracy));
}

TEST_CASE("beat probability for millions of trials agrees with the Edgeworth expansion",
          "[experiment_stats]") {
  // Treatment 50400 of 1e6, control 100000 of 2e6 (5.04% vs 5.00%). D = p_t - p_c has mean m,
  // sd s, skewness g = (k3_t - k3_c) / s^3 and excess kurtosis k = (k4_t + k4_c) / s^4 from the
  // Beta cumulants (k3 = skewness sd^3, k4 = excess kurtosis sd^4). With z = m / s the Edgeworth
  // expansion of P(D > 0) = 1 - F((0 - m) / s) is
  //   Phi(z) + phi(z) [g/6 He2(-z) + k/24 He3(-z) + g^2/72 He5(-z)] + O(n^-3/2),
  // He2(x) = x^2 - 1, He3 = x^3 - 3x, He5 = x^5 - 10x^3 + 15x. Here z ~ 1.5, the skewness term is
  // ~9e-5 (the plain normal approximation's error), the second-order terms ~4e-7; the
  // third-order terms are O(n^-3/2) products such as g k He6 phi / 144 ~ 2e-9. Checks: the
  // second-order expansion agrees within a tenth of the second-order terms' absolute size, and
  // the answer differs from the plain normal approximation by about the first term.
  namespace bm = boost::math;
  const bm::beta_distribution<double> t(50401, 949601), c(100001, 1900001);
  const double m = bm::mean(t) - bm::mean(c);
  const double s = std::sqrt(bm::variance(t) + bm::variance(c));
  const double g = (bm::skewness(t) * std::pow(bm::standard_deviation(t), 3) -
                    bm::skewness(c) * std::pow(bm::standard_deviation(c), 3)) /
                   std::pow(s, 3);
  const double k = (bm::kurtosis_excess(t) * std::pow(bm::variance(t), 2) +
                    bm::kurtosis_excess(c) * std::pow(bm::variance(c), 2)) /
                   std::pow(s, 4);
  const double z = m / s;
  const double x = -z;
  const double phi = bm::pdf(bm::normal_distribution<double>(), z);
  const double normal = bm::cdf(bm::normal_distribution<double>(), z);
  const double first = phi * g / 6 * (x * x - 1);
  const double second = phi * (k / 24 * (x * x * x - 3 * x) +
                               g * g / 72 * (std::pow(x, 5) - 10 * std::pow(x, 3) + 15 * x));
  const double second_bound =
      phi * (std::abs(k) / 24 * std::abs(x * x * x - 3 * x) +
             g * g / 72 * std::abs(std::pow(x, 5) - 10 * x * x * x + 15 * x));
  const double p = beta_binomial_beat_probability(50400, 1e6, 100000, 2e6);
  INFO("p " << p << " normal " << normal << " first " << first << " second " << second);
  CHECK(std::abs(p - (normal + first + second)) <= 0.1 * second_bound + kAccuracy);
  CHECK(std::abs(p - normal) >= std::abs(first) - 1.1 * second_bound);
}

TEST_CASE("beat probability rejects impossible counts and priors", "[experiment_stats]") {
  CHECK_THROWS_AS(beta_binomial_beat_probability(3, 2, 0, 1), std::invalid_argument);
  CHECK_THROWS_AS(beta_binomial_beat_probability(-1, 2, 0, 1), std::invalid_argument);
  CHECK_THROWS_AS(beta_binomial_beat_probability(1, 2, 0, std::nan("")), std::invalid_argument);
  CHECK_THROWS_AS(beta_binomial_beat_probability(1, 2, 0, 1, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(beta_binomial_beat_probability(1, 2, 0, 1, 1.0, -1.0), std::invalid_argument);
}
