// sample_ratio_test: Pearson's statistic and Boost.Math's chi-square upper tail.
#include "analysis/statistics/sample_ratio_test.h"

#include <boost/math/distributions/chi_squared.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

namespace marketsim {

SrmResult sample_ratio_test(std::span<const double> counts,
                            std::span<const double> expected_shares) {
  if (counts.size() != expected_shares.size()) {
    throw std::invalid_argument("sample_ratio_test: " + std::to_string(counts.size()) +
                                " counts but " + std::to_string(expected_shares.size()) +
                                " shares");
  }
  if (counts.size() < 2) throw std::invalid_argument("sample_ratio_test: needs at least 2 arms");
  double total = 0.0;
  double share_total = 0.0;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    if (!(counts[k] >= 0.0 && std::isfinite(counts[k]))) {
      throw std::invalid_argument("sample_ratio_test: count must be finite and >= 0, got " +
                                  std::to_string(counts[k]));
    }
    if (!(expected_shares[k] > 0.0 && std::isfinite(expected_shares[k]))) {
      throw std::invalid_argument("sample_ratio_test: share must be finite and > 0, got " +
                                  std::to_string(expected_shares[k]));
    }
    total += counts[k];
    share_total += expected_shares[k];
  }
  SrmResult result;
  result.df = static_cast<double>(counts.size() - 1);
  if (total == 0.0) return result;
  double statistic = 0.0;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    const double expected = total * expected_shares[k] / share_total;
    statistic += (counts[k] - expected) * (counts[k] - expected) / expected;
  }
  result.statistic = statistic;
  namespace bm = boost::math;
  result.p_value =
      bm::cdf(bm::complement(bm::chi_squared_distribution<double>(result.df), statistic));
  return result;
}

}  // namespace marketsim
