// MomentSums: sufficient statistics (count, sum, sum of squares) of per-unit values of one metric.
#pragma once

namespace marketsim {

// Sufficient statistics of the per-unit values of one metric in one experiment arm, e.g. revenue
// per user in currency units or a 0/1 conversion per user: n, sum x and sum x^2. Feed two of them
// to welch_test. Sums of several days or shards add field by field. Plain aggregate; add() is
// O(1), unchecked (a NaN value makes every statistic NaN). Not thread-safe.
//   MomentSums s;
//   s.add(1.0);
//   s.add(3.0);  // s.mean() == 2, s.variance() == 2
struct MomentSums {
  double n = 0;       // units
  double sum = 0;     // sum of values, metric units
  double sum_sq = 0;  // sum of squared values, metric units squared

  void add(double x) {
    n += 1.0;
    sum += x;
    sum_sq += x * x;
  }

  // Sample mean, metric units; NaN when n == 0.
  double mean() const;

  // Sample variance with the n - 1 denominator, metric units squared; NaN when n < 2. Computed
  // from the raw sums, so its relative rounding error is about 1e-16 * mean^2 / variance: shift
  // the values by a constant near their mean first when the mean exceeds ~1e4 standard
  // deviations. A negative result of rounding is returned as 0.
  double variance() const;
};

}  // namespace marketsim
