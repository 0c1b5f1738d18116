// TestResult: the outcome of a two-sided test of a treatment-minus-control difference.
#pragma once

#include <limits>

namespace marketsim {

// A two-sided test of H0: treatment == control for one metric, in the metric's units (a mean per
// unit, or a ratio such as clicks per impression). welch_test, ratio_delta_test and
// two_sided_test fill it.
//
// control, treatment and estimate are filled whenever the arms define them (NaN otherwise). When
// `valid` is false every other field (se, statistic, df, p_value, ci_low, ci_high) is NaN; each
// producer documents when that happens (too few units, zero variance, ...).
struct TestResult {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

  double control = kNaN;    // control arm's metric
  double treatment = kNaN;  // treatment arm's metric
  double estimate = kNaN;   // treatment - control, metric units
  double se = kNaN;         // standard error of `estimate`, metric units
  double statistic = kNaN;  // estimate / se: Student t, or z when df is +infinity
  double df = kNaN;         // degrees of freedom of the t reference; +infinity for a z-test
  double p_value = kNaN;    // two-sided p-value of H0: estimate == 0, in [0, 1]
  double ci_low = kNaN;     // confidence interval of the difference, metric units
  double ci_high = kNaN;
  bool valid = false;
};

// Completes a test from the arm metrics and the standard error of their difference: statistic =
// (treatment - control) / se, referred to Student's t with `df` degrees of freedom (df > 0), or to
// the standard normal when df is +infinity; p_value = 2 P(T > |statistic|); the interval is
// estimate -+ q se with q the (1 + confidence) / 2 quantile. valid is false (see TestResult) when
// the estimate is not finite, se is not finite and > 0, or df is NaN or <= 0. Throws
// std::invalid_argument unless 0 < confidence < 1.
//   two_sided_test(1.5, 1.0, 0.25, INFINITY)  // z = 2, p = 0.0455, CI [0.010, 0.990]
TestResult two_sided_test(double treatment, double control, double se, double df,
                          double confidence = 0.95);

}  // namespace marketsim
