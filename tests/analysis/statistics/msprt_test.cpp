// mSPRT: the mixture likelihood ratio on a hand case, the running p-value of MsprtPath, tau.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "analysis/statistics/msprt.h"
#include "analysis/statistics/test_result.h"

using namespace marketsim;

TEST_CASE("mSPRT likelihood ratio of a hand case", "[experiment_stats]") {
  // theta_hat = 0.3, V = 0.01, tau = 0.2: sqrt(0.01 / 0.05) = sqrt(0.2) = 0.4472136;
  // exponent 0.04 * 0.09 / (2 * 0.01 * 0.05) = 3.6; Lambda = 0.4472136 e^3.6 = 16.367228014507635
  // (Python), p = 1 / Lambda = 0.06109770079048309.
  CHECK(msprt_log_likelihood_ratio(0.3, 0.01, 0.2) ==
        Approx(0.5 * std::log(0.2) + 3.6).epsilon(1e-14));
  CHECK(msprt_likelihood_ratio(0.3, 0.01, 0.2) == Approx(16.367228014507635).epsilon(1e-13));
  CHECK(msprt_p_value(0.3, 0.01, 0.2) == Approx(0.06109770079048309).epsilon(1e-13));
  CHECK(msprt_p_value(-0.3, 0.01, 0.2) == msprt_p_value(0.3, 0.01, 0.2));  // symmetric mixture
  // No effect: Lambda = sqrt(V / (V + tau^2)) < 1, so p caps at 1.
  CHECK(msprt_likelihood_ratio(0.0, 0.01, 0.2) == Approx(std::sqrt(0.2)).epsilon(1e-14));
  CHECK(msprt_p_value(0.0, 0.01, 0.2) == 1.0);
  // Overwhelming evidence: Lambda overflows, the p-value underflows to 0 without NaN.
  CHECK(msprt_likelihood_ratio(100.0, 1e-6, 0.2) == std::numeric_limits<double>::infinity());
  CHECK(msprt_p_value(100.0, 1e-6, 0.2) == 0.0);
  CHECK(std::isnan(msprt_p_value(0.3, 0.0, 0.2)));
  CHECK(std::isnan(msprt_p_value(std::nan(""), 0.01, 0.2)));
  CHECK_THROWS_AS(msprt_p_value(0.3, 0.01, 0.0), std::invalid_argument);
  CHECK(msprt_tau_for_effect_size(0.05, 12.0) == Approx(0.6).epsilon(1e-15));
  CHECK_THROWS_AS(msprt_tau_for_effect_size(-0.05, 12.0), std::invalid_argument);
}

TEST_CASE("mSPRT path keeps the running minimum of 1 / Lambda", "[experiment_stats]") {
  MsprtPath path(0.2);
  CHECK(path.p_value() == 1.0);
  CHECK(path.look(0.0, 0.01) == 1.0);
  CHECK(path.look(0.3, 0.01) == Approx(0.06109770079048309).epsilon(1e-13));
  // Weaker evidence later does not raise the p-value.
  CHECK(path.look(0.1, 0.005) == Approx(0.06109770079048309).epsilon(1e-13));
  CHECK(path.looks() == 3);
  // Invalid looks change nothing.
  CHECK(path.look(0.5, -1.0) == Approx(0.06109770079048309).epsilon(1e-13));
  CHECK(path.look(TestResult{}) == Approx(0.06109770079048309).epsilon(1e-13));
  CHECK(path.looks() == 3);
  // A TestResult look uses se^2 as V: estimate 0.4, se 0.1 gives V = 0.01.
  const double p = path.look(two_sided_test(1.4, 1.0, 0.1, 50.0));
  CHECK(p == Approx(msprt_p_value(0.4, 0.01, 0.2)).epsilon(1e-12));
  CHECK(p < 0.06109770079048309);
  CHECK(path.looks() == 4);
  CHECK_THROWS_AS(MsprtPath(std::numeric_limits<double>::infinity()), std::invalid_argument);
}
