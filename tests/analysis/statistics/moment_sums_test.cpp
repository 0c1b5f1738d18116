// MomentSums and RatioSums: hand-computed moments, the delta-method variance and edge conventions.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "analysis/statistics/moment_sums.h"
#include "analysis/statistics/ratio_sums.h"

using namespace marketsim;

TEST_CASE("moment sums give the mean and the n - 1 sample variance", "[experiment_stats]") {
  MomentSums s;
  CHECK(std::isnan(s.mean()));
  CHECK(std::isnan(s.variance()));
  s.add(4.0);
  CHECK(s.mean() == 4.0);
  CHECK(std::isnan(s.variance()));  // one unit: no variance
  for (double x : {5.0, 7.0, 8.0}) s.add(x);
  // Mean 6, deviations -2, -1, 1, 2: sum of squares 10 over 3.
  CHECK(s.n == 4.0);
  CHECK(s.mean() == 6.0);
  CHECK(s.variance() == Approx(10.0 / 3.0).epsilon(1e-14));
  MomentSums constant;
  for (int i = 0; i < 5; ++i) constant.add(0.1);
  CHECK(constant.variance() >= 0.0);  // rounding never makes it negative
  CHECK(constant.variance() < 1e-15);
}

TEST_CASE("ratio sums give the ratio and its delta-method variance", "[experiment_stats]") {
  // Users (clicks y, impressions x): (1, 10), (3, 10), (0, 5), (2, 5); R = 6 / 30 = 0.2.
  const std::vector<double> y = {1, 3, 0, 2};
  const std::vector<double> x = {10, 10, 5, 5};
  RatioSums s;
  for (std::size_t i = 0; i < y.size(); ++i) s.add(y[i], x[i]);
  CHECK(s.ratio() == Approx(0.2).epsilon(1e-15));
  // Written out: ybar = 1.5, xbar = 7.5; s_y^2 = 5/3, s_x^2 = 25/3, s_xy = (2.5 (-0.5) + 2.5 (1.5)
  // - 2.5 (-1.5) - 2.5 (0.5)) / 3 = 5/3. Var(R) = (5/3 - 2 (0.2)(5/3) + 0.04 (25/3)) / (4 7.5^2)
  // = (4/3) / 225. The residuals y - R x are -1, 1, -1, 1: the same 4/3.
  CHECK(s.ratio_variance() == Approx(4.0 / 3.0 / 225.0).epsilon(1e-14));
  RatioSums one;
  one.add(1, 2);
  CHECK(one.ratio() == 0.5);
  CHECK(std::isnan(one.ratio_variance()));
  RatioSums no_denominator;
  no_denominator.add(0, 0);
  no_denominator.add(0, 0);
  CHECK(std::isnan(no_denominator.ratio()));
  CHECK(std::isnan(no_denominator.ratio_variance()));
}
