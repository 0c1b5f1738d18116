// two_sided_test: p-values and confidence intervals from Boost.Math's normal and Student t.
#include "analysis/statistics/test_result.h"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace marketsim {

namespace {

// Fills statistic, p_value and the interval from the reference distribution `dist`.
template <class Distribution>
void complete(const Distribution& dist, double confidence, TestResult& r) {
  namespace bm = boost::math;
  r.statistic = r.estimate / r.se;
  r.p_value = std::min(1.0, 2.0 * bm::cdf(bm::complement(dist, std::abs(r.statistic))));
  const double q = bm::quantile(bm::complement(dist, (1.0 - confidence) / 2.0));
  r.ci_low = r.estimate - q * r.se;
  r.ci_high = r.estimate + q * r.se;
}

}  // namespace

TestResult two_sided_test(double treatment, double control, double se, double df,
                          double confidence) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw std::invalid_argument("two_sided_test: confidence must be in (0, 1), got " +
                                std::to_string(confidence));
  }
  TestResult r;
  r.treatment = treatment;
  r.control = control;
  r.estimate = treatment - control;
  if (!std::isfinite(r.estimate) || !(se > 0.0 && std::isfinite(se)) || !(df > 0.0)) return r;
  r.se = se;
  r.df = df;
  r.valid = true;
  if (std::isinf(df)) {
    complete(boost::math::normal_distribution<double>(), confidence, r);
  } else {
    complete(boost::math::students_t_distribution<double>(df), confidence, r);
  }
  return r;
}

}  // namespace marketsim
