// Sample ratio mismatch (SRM) check: chi-square goodness of fit of arm sizes to planned shares.
#pragma once

#include <limits>
#include <span>

namespace marketsim {

// The result of sample_ratio_test. A small p-value (experimentation platforms commonly alarm below
// 0.001) means the assignment or the logging is broken and the A/B results should not be trusted.
struct SrmResult {
  double statistic = std::numeric_limits<double>::quiet_NaN();  // Pearson chi-square
  double df = std::numeric_limits<double>::quiet_NaN();         // arms - 1
  double p_value = std::numeric_limits<double>::quiet_NaN();    // P(chi2(df) >= statistic)
};

// Pearson's chi-square goodness-of-fit test of the units counted in each arm against the planned
// assignment shares: statistic = sum_k (O_k - E_k)^2 / E_k with E_k = N share_k / sum(shares),
// N = sum(counts), referred to chi-square with k - 1 degrees of freedom (Boost.Math). Shares need
// not sum to 1. Counts may be non-integer. With N == 0, statistic and p_value are NaN (df is
// set). Throws std::invalid_argument when the spans differ in size, there are fewer than 2 arms,
// a count is negative or not finite, or a share is not finite and > 0.
//   sample_ratio_test(std::array{5050.0, 4950.0}, std::array{1.0, 1.0})  // chi2 1, df 1, p 0.3173
SrmResult sample_ratio_test(std::span<const double> counts,
                            std::span<const double> expected_shares);

}  // namespace marketsim
