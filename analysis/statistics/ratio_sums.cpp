// RatioSums: the ratio of sums and its delta-method variance.
#include "analysis/statistics/ratio_sums.h"

#include <algorithm>
#include <limits>

namespace marketsim {

double RatioSums::ratio() const {
  return sum_x != 0 ? sum_y / sum_x : std::numeric_limits<double>::quiet_NaN();
}

double RatioSums::ratio_variance() const {
  if (!(n >= 2) || sum_x == 0) return std::numeric_limits<double>::quiet_NaN();
  const double r = sum_y / sum_x;
  const double residual_variance =
      std::max(0.0, (sum_y2 - 2.0 * r * sum_xy + r * r * sum_x2) / (n - 1.0));
  const double x_mean = sum_x / n;
  return residual_variance / (n * x_mean * x_mean);
}

}  // namespace marketsim
