// RatioSums: sufficient statistics of a ratio metric sum(y) / sum(x) over experiment units.
#pragma once

namespace marketsim {

// Sufficient statistics of a ratio metric R = sum y / sum x whose numerator y and denominator x
// are both measured per unit, e.g. the CTR of an arm as clicks (y) over impressions (x) per user:
// the unit of randomization is the user, so the impressions of one user are not independent and
// the binomial variance of clicks / impressions would be too small. Feed two of them to
// ratio_delta_test. Plain aggregate; add() is O(1) and unchecked. Not thread-safe.
//   RatioSums s;
//   s.add(1, 10);  // a user with 1 click on 10 impressions
//   s.add(3, 10);  // s.ratio() == 0.2
struct RatioSums {
  double n = 0;       // units
  double sum_y = 0;   // sum of numerators
  double sum_y2 = 0;  // sum of squared numerators
  double sum_x = 0;   // sum of denominators
  double sum_x2 = 0;  // sum of squared denominators
  double sum_xy = 0;  // sum of numerator x denominator products

  void add(double y, double x) {
    n += 1.0;
    sum_y += y;
    sum_y2 += y * y;
    sum_x += x;
    sum_x2 += x * x;
    sum_xy += x * y;
  }

  // R = sum y / sum x, in numerator units per denominator unit; NaN when sum x == 0.
  double ratio() const;

  // Delta-method variance of ratio() (units of R squared): with sample (n - 1) variances and
  // covariance of the per-unit y and x,
  //   Var(R) ~= (s_y^2 - 2 R s_xy + R^2 s_x^2) / (n xbar^2),
  // the variance of the linearization R - R0 ~= (ybar - R0 xbar) / xbar. Since sum(y - R x) = 0,
  // the bracket equals the sample variance of the residuals y - R x, computed here as
  // (sum y^2 - 2 R sum xy + R^2 sum x^2) / (n - 1) and clamped at 0 against rounding. NaN when
  // n < 2 or sum x == 0. Accurate for large n (tens of units or more per arm).
  double ratio_variance() const;
};

}  // namespace marketsim
