// MomentSums: mean and sample variance from the raw sums.
#include "analysis/statistics/moment_sums.h"

#include <algorithm>
#include <limits>

namespace marketsim {

double MomentSums::mean() const {
  return n > 0 ? sum / n : std::numeric_limits<double>::quiet_NaN();
}

double MomentSums::variance() const {
  if (!(n >= 2)) return std::numeric_limits<double>::quiet_NaN();
  return std::max(0.0, (sum_sq - sum * (sum / n)) / (n - 1.0));
}

}  // namespace marketsim
