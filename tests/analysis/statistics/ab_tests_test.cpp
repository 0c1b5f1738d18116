// two_sided_test, welch_test, ratio_delta_test and normal_beat_probability on hand-computed cases,
// with reference numbers from scipy 1.10.1 (scipy.stats.ttest_ind(equal_var=False), stats.t, norm).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "analysis/statistics/ab_tests.h"
#include "analysis/statistics/beat_probability.h"
#include "analysis/statistics/test_result.h"

using namespace marketsim;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

MomentSums sums_of(const std::vector<double>& values) {
  MomentSums s;
  for (double v : values) s.add(v);
  return s;
}

void check_invalid(const TestResult& r) {
  CHECK_FALSE(r.valid);
  CHECK(std::isnan(r.se));
  CHECK(std::isnan(r.statistic));
  CHECK(std::isnan(r.df));
  CHECK(std::isnan(r.p_value));
  CHECK(std::isnan(r.ci_low));
  CHECK(std::isnan(r.ci_high));
}

}  // namespace

TEST_CASE("a z-test of 2 standard errors has p = 0.0455", "[experiment_stats]") {
  const TestResult r = two_sided_test(1.5, 1.0, 0.25, kInf);
  REQUIRE(r.valid);
  CHECK(r.estimate == 0.5);
  CHECK(r.statistic == 2.0);
  CHECK(r.df == kInf);
  CHECK(r.p_value == Approx(0.04550026389635839).epsilon(1e-12));  // 2 norm.sf(2)
  CHECK(r.ci_low == Approx(0.5 - 1.959963984540054 * 0.25).epsilon(1e-12));
  CHECK(r.ci_high == Approx(0.5 + 1.959963984540054 * 0.25).epsilon(1e-12));
  check_invalid(two_sided_test(1.5, 1.0, 0.0, kInf));
  check_invalid(two_sided_test(1.5, 1.0, 0.25, 0.0));
  check_invalid(two_sided_test(std::nan(""), 1.0, 0.25, 3.0));
  CHECK_THROWS_AS(two_sided_test(1.5, 1.0, 0.25, kInf, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(two_sided_test(1.5, 1.0, 0.25, kInf, 0.0), std::invalid_argument);
}

TEST_CASE("welch test matches the hand computation and scipy", "[experiment_stats]") {
  // Treatment {4, 5, 7, 8}: mean 6, s^2 = 10/3, s^2/n = 5/6. Control {1, 2, 6}: mean 3,
  // s^2 = 14/2 = 7, s^2/n = 7/3. se^2 = 5/6 + 7/3 = 19/6, se = 1.779513; t = 3 / se = 1.685854.
  // df = (19/6)^2 / ((5/6)^2 / 3 + (7/3)^2 / 2) = 10.027778 / 2.953704 = 3.394984.
  // scipy.stats.ttest_ind(t, c, equal_var=False): t = 1.6858544608470492, p = 0.17969248599607576;
  // 95% CI 3 -+ t.ppf(0.975, df) se = [-2.3081107298674617, 8.308110729867462].
  const TestResult r = welch_test(sums_of({4, 5, 7, 8}), sums_of({1, 2, 6}));
  REQUIRE(r.valid);
  CHECK(r.treatment == 6.0);
  CHECK(r.control == 3.0);
  CHECK(r.estimate == 3.0);
  CHECK(r.se == Approx(std::sqrt(19.0 / 6.0)).epsilon(1e-14));
  CHECK(r.df == Approx(3.3949843260188093).epsilon(1e-13));
  CHECK(r.statistic == Approx(1.6858544608470492).epsilon(1e-13));
  CHECK(r.p_value == Approx(0.17969248599607576).epsilon(1e-10));
  CHECK(r.ci_low == Approx(-2.3081107298674617).epsilon(1e-10));
  CHECK(r.ci_high == Approx(8.308110729867462).epsilon(1e-10));
  // 90% interval: t.ppf(0.95, df).
  const TestResult r90 = welch_test(sums_of({4, 5, 7, 8}), sums_of({1, 2, 6}), 0.90);
  CHECK(r90.ci_low == Approx(-0.996485248174205).epsilon(1e-10));
  CHECK(r90.ci_high == Approx(6.996485248174205).epsilon(1e-10));
  // A second pair with unequal sizes, scipy: t = 2.4527331720979793, p = 0.03411748388810427.
  const TestResult r2 =
      welch_test(sums_of({2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8}), sums_of({1.2, 2.2, 0.9, 3.1, 1.7}));
  CHECK(r2.statistic == Approx(2.4527331720979793).epsilon(1e-12));
  CHECK(r2.p_value == Approx(0.03411748388810427).epsilon(1e-10));
  // Swapping the arms flips the sign and keeps p.
  const TestResult swapped = welch_test(sums_of({1, 2, 6}), sums_of({4, 5, 7, 8}));
  CHECK(swapped.statistic == Approx(-r.statistic).epsilon(1e-14));
  CHECK(swapped.p_value == Approx(r.p_value).epsilon(1e-14));
}

TEST_CASE("welch test edge cases: zero variance in one or both arms, too few units",
          "[experiment_stats]") {
  // Control constant: df = n_t - 1 = 3, se^2 = s_t^2 / n_t = 5/6.
  const TestResult one_constant = welch_test(sums_of({4, 5, 7, 8}), sums_of({2, 2, 2}));
  REQUIRE(one_constant.valid);
  CHECK(one_constant.df == Approx(3.0).epsilon(1e-14));
  CHECK(one_constant.se == Approx(std::sqrt(5.0 / 6.0)).epsilon(1e-14));
  const TestResult both_constant = welch_test(sums_of({3, 3}), sums_of({2, 2, 2}));
  check_invalid(both_constant);
  CHECK(both_constant.estimate == 1.0);
  const TestResult single = welch_test(sums_of({4}), sums_of({1, 2, 6}));
  check_invalid(single);
  CHECK(single.treatment == 4.0);
  const TestResult empty = welch_test(MomentSums{}, sums_of({1, 2, 6}));
  check_invalid(empty);
  CHECK(std::isnan(empty.treatment));
  CHECK(std::isnan(empty.estimate));
  CHECK(std::isnan(normal_beat_probability(empty)));
}

TEST_CASE("ratio delta test matches a direct computation", "[experiment_stats]") {
  using Unit = std::pair<double, double>;  // (y, x) = (clicks, impressions) of one user
  const std::vector<Unit> treatment = {{1, 10}, {3, 10}, {0, 5}, {2, 5}, {1, 8}};
  const std::vector<Unit> control = {{1, 4}, {0, 6}, {2, 10}, {1, 10}, {0, 3}, {1, 7}};
  // Direct computation: ratio of sums, sample moments with n - 1, the delta-method formula.
  auto direct = [](const std::vector<Unit>& units, double& ratio) {
    const double n = static_cast<double>(units.size());
    double sy = 0, sx = 0;
    for (const auto& [y, x] : units) {
      sy += y;
      sx += x;
    }
    const double ybar = sy / n, xbar = sx / n;
    double vy = 0, vx = 0, cxy = 0;
    for (const auto& [y, x] : units) {
      vy += (y - ybar) * (y - ybar) / (n - 1);
      vx += (x - xbar) * (x - xbar) / (n - 1);
      cxy += (y - ybar) * (x - xbar) / (n - 1);
    }
    ratio = sy / sx;
    return (vy - 2 * ratio * cxy + ratio * ratio * vx) / (n * xbar * xbar);
  };
  double r_t = 0, r_c = 0;
  const double var_t = direct(treatment, r_t);
  const double var_c = direct(control, r_c);
  const double se = std::sqrt(var_t + var_c);
  const double z = (r_t - r_c) / se;
  const double p = std::erfc(std::abs(z) / std::sqrt(2.0));  // 2 (1 - Phi(|z|))
  RatioSums t, c;
  for (const auto& [y, x] : treatment) t.add(y, x);
  for (const auto& [y, x] : control) c.add(y, x);
  const TestResult r = ratio_delta_test(t, c);
  REQUIRE(r.valid);
  CHECK(r.treatment == Approx(7.0 / 38.0).epsilon(1e-15));
  CHECK(r.control == Approx(5.0 / 40.0).epsilon(1e-15));
  CHECK(r.se == Approx(se).epsilon(1e-12));
  CHECK(r.statistic == Approx(z).epsilon(1e-12));
  CHECK(r.df == kInf);
  CHECK(r.p_value == Approx(p).epsilon(1e-12));
  CHECK(r.ci_high - r.estimate == Approx(1.959963984540054 * se).epsilon(1e-12));
  RatioSums single;
  single.add(1, 3);
  check_invalid(ratio_delta_test(single, c));
}

TEST_CASE("normal beat probability is Phi(estimate / se)", "[experiment_stats]") {
  CHECK(normal_beat_probability(two_sided_test(1.5, 1.0, 0.25, kInf)) ==
        Approx(0.9772498680518208).epsilon(1e-14));  // scipy norm.cdf(2)
  CHECK(normal_beat_probability(two_sided_test(1.0, 1.0, 0.25, kInf)) == 0.5);
  CHECK(normal_beat_probability(two_sided_test(1.0, 1.5, 0.25, 5.0)) ==
        Approx(1.0 - 0.9772498680518208).epsilon(1e-12));
}
