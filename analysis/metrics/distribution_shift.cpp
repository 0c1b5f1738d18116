// PSI and KS over two histograms: shares, floors, cumulative sums.
#include "analysis/metrics/distribution_shift.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace marketsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Checks that the two histograms have the same bins and valid counts.
void require_comparable(std::span<const double> expected, std::span<const double> actual,
                        const char* function) {
  if (expected.size() != actual.size()) {
    throw std::invalid_argument(std::string(function) + ": histograms differ in size (" +
                                std::to_string(expected.size()) + " vs " +
                                std::to_string(actual.size()) + " bins)");
  }
  for (std::span<const double> h : {expected, actual}) {
    for (double c : h) {
      if (!(c >= 0.0 && std::isfinite(c))) {
        throw std::invalid_argument(std::string(function) +
                                    ": counts must be finite and >= 0, got " + std::to_string(c));
      }
    }
  }
}

double total(std::span<const double> h) { return std::accumulate(h.begin(), h.end(), 0.0); }

}  // namespace

double population_stability_index(std::span<const double> expected, std::span<const double> actual,
                                  double share_floor) {
  require_comparable(expected, actual, "population_stability_index");
  if (!(share_floor > 0.0 && share_floor <= 1.0)) {
    throw std::invalid_argument("population_stability_index: share_floor must be in (0, 1], got " +
                                std::to_string(share_floor));
  }
  const double expected_total = total(expected);
  const double actual_total = total(actual);
  if (expected_total == 0.0 || actual_total == 0.0) return kNaN;
  double psi = 0.0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const double e = std::max(expected[i] / expected_total, share_floor);
    const double a = std::max(actual[i] / actual_total, share_floor);
    psi += (a - e) * std::log(a / e);
  }
  return psi;
}

double ks_statistic(std::span<const double> expected, std::span<const double> actual) {
  require_comparable(expected, actual, "ks_statistic");
  const double expected_total = total(expected);
  const double actual_total = total(actual);
  if (expected_total == 0.0 || actual_total == 0.0) return kNaN;
  double expected_below = 0.0;
  double actual_below = 0.0;
  double distance = 0.0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    expected_below += expected[i];
    actual_below += actual[i];
    distance =
        std::max(distance, std::abs(expected_below / expected_total - actual_below / actual_total));
  }
  return distance;
}

}  // namespace marketsim
