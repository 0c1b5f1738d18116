// A/B tests of one metric from per-arm sufficient statistics: Welch's t-test and the delta method.
#pragma once

#include "analysis/statistics/moment_sums.h"
#include "analysis/statistics/ratio_sums.h"
#include "analysis/statistics/test_result.h"

namespace marketsim {

// Welch's unequal-variance t-test of the difference of per-unit means, treatment - control:
//   se^2 = s_t^2 / n_t + s_c^2 / n_c  (sample variances, n - 1 denominators),
//   df = se^4 / ((s_t^2 / n_t)^2 / (n_t - 1) + (s_c^2 / n_c)^2 / (n_c - 1))  (Welch-Satterthwaite),
// with a Student t p-value and confidence interval (two_sided_test). control and treatment are the
// arm means (NaN for an arm with n == 0). valid is false, with NaN inference fields, when an arm
// has n < 2 or both sample variances are 0 (se == 0). One arm with zero variance is allowed: df is
// then the other arm's n - 1. Throws std::invalid_argument unless 0 < confidence < 1.
//   MomentSums t, c;  // fill with per-user revenue of each arm
//   TestResult r = welch_test(t, c);  // r.estimate = mean_t - mean_c, r.p_value, r.ci_low...
TestResult welch_test(const MomentSums& treatment, const MomentSums& control,
                      double confidence = 0.95);

// Two-sided z-test of the difference of ratio metrics R_t - R_c (R = sum y / sum x, e.g. clicks
// per impression with users as units), with each arm's variance from the delta method
// (RatioSums::ratio_variance) and se^2 = Var(R_t) + Var(R_c); df is +infinity. control and
// treatment are the arm ratios (NaN when sum x == 0). valid is false, with NaN inference fields,
// when an arm has n < 2 or sum x == 0, or se == 0. Needs enough units per arm for the
// linearization and the normal reference (tens at least; the tests use hundreds). Throws
// std::invalid_argument unless 0 < confidence < 1.
TestResult ratio_delta_test(const RatioSums& treatment, const RatioSums& control,
                            double confidence = 0.95);

}  // namespace marketsim
