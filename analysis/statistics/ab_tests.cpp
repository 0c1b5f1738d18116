// Welch's t-test and the delta-method ratio test, both completed by two_sided_test.
#include "analysis/statistics/ab_tests.h"

#include <cmath>
#include <limits>

namespace marketsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

TestResult welch_test(const MomentSums& treatment, const MomentSums& control, double confidence) {
  double se = kNaN;
  double df = kNaN;
  if (treatment.n >= 2 && control.n >= 2) {
    const double a = treatment.variance() / treatment.n;  // squared standard error of each mean
    const double c = control.variance() / control.n;
    se = std::sqrt(a + c);
    df = (a + c) * (a + c) / (a * a / (treatment.n - 1.0) + c * c / (control.n - 1.0));
  }
  return two_sided_test(treatment.mean(), control.mean(), se, df, confidence);
}

TestResult ratio_delta_test(const RatioSums& treatment, const RatioSums& control,
                            double confidence) {
  const double se = std::sqrt(treatment.ratio_variance() + control.ratio_variance());
  return two_sided_test(treatment.ratio(), control.ratio(), se, kInf, confidence);
}

}  // namespace marketsim
