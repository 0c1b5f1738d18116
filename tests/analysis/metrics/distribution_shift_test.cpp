// PSI, KS and Histogram: hand-computed small histograms and edge conventions.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "analysis/metrics/distribution_shift.h"
#include "analysis/metrics/histogram.h"

using namespace marketsim;

namespace {
using Counts = std::vector<double>;
}  // namespace

TEST_CASE("PSI of small histograms", "[metrics]") {
  // Shares e = (1/4, 1/4, 1/2), a = (1/2, 1/4, 1/4):
  // (1/2 - 1/4) ln 2 + 0 + (1/4 - 1/2) ln(1/2) = (1/2) ln 2 = 0.3465736.
  CHECK(population_stability_index(Counts{25, 25, 50}, Counts{50, 25, 25}) ==
        Approx(0.5 * std::log(2.0)));
  // Symmetric and invariant to scaling either histogram.
  CHECK(population_stability_index(Counts{150, 75, 75}, Counts{1, 1, 2}) ==
        Approx(0.5 * std::log(2.0)));
  // An empty expected bin: its share is floored at 1e-4. Shares e = (0.5, 0.3, 0.2, 1e-4),
  // a = (0.4, 0.3, 0.2, 0.1): (-0.1) ln 0.8 + (0.1 - 1e-4) ln 1000 = 0.0223144 + 0.6900848
  // = 0.7123991.
  CHECK(population_stability_index(Counts{50, 30, 20, 0}, Counts{40, 30, 20, 10}) ==
        Approx(0.7123991).epsilon(1e-7));
  // A coarser floor bounds the empty bin's term more tightly: (0.1 - 0.01) ln 10 = 0.2072327,
  // plus 0.0223144.
  CHECK(population_stability_index(Counts{50, 30, 20, 0}, Counts{40, 30, 20, 10}, 0.01) ==
        Approx(0.2295471).epsilon(1e-6));
  CHECK(population_stability_index(Counts{3, 0, 5}, Counts{6, 0, 10}) == 0.0);
}

TEST_CASE("PSI is NaN for an empty histogram and rejects bad input", "[metrics]") {
  CHECK(std::isnan(population_stability_index(Counts{0, 0}, Counts{1, 2})));
  CHECK(std::isnan(population_stability_index(Counts{1, 2}, Counts{0, 0})));
  CHECK(std::isnan(population_stability_index(Counts{}, Counts{})));
  CHECK_THROWS_AS(population_stability_index(Counts{1, 2}, Counts{1}), std::invalid_argument);
  CHECK_THROWS_AS(population_stability_index(Counts{1, -2}, Counts{1, 2}), std::invalid_argument);
  CHECK_THROWS_AS(population_stability_index(Counts{1, 2}, Counts{1, std::nan("")}),
                  std::invalid_argument);
  CHECK_THROWS_AS(population_stability_index(Counts{1, 2}, Counts{1, 2}, 0.0),
                  std::invalid_argument);
}

TEST_CASE("KS statistic of small histograms", "[metrics]") {
  // CDFs e = (0.25, 0.5, 1), a = (0.5, 0.75, 1): max difference 0.25.
  CHECK(ks_statistic(Counts{25, 25, 50}, Counts{50, 25, 25}) == 0.25);
  // CDFs e = (0.5, 0.5, 0.5, 1), a = (0, 0.5, 1, 1): differences 0.5, 0, 0.5, 0.
  CHECK(ks_statistic(Counts{10, 0, 0, 10}, Counts{0, 10, 10, 0}) == 0.5);
  // Disjoint supports: 1. Proportional histograms: 0.
  CHECK(ks_statistic(Counts{4, 0}, Counts{0, 1}) == 1.0);
  CHECK(ks_statistic(Counts{1, 2, 3}, Counts{2, 4, 6}) == 0.0);
  CHECK(std::isnan(ks_statistic(Counts{0, 0}, Counts{1, 1})));
  CHECK_THROWS_AS(ks_statistic(Counts{1}, Counts{1, 1}), std::invalid_argument);
  CHECK_THROWS_AS(ks_statistic(Counts{1, std::numeric_limits<double>::infinity()}, Counts{1, 1}),
                  std::invalid_argument);
}

TEST_CASE("Histogram adds weights to fixed bins", "[metrics]") {
  Histogram h(3);
  CHECK(h.size() == 3);
  CHECK(h.total() == 0.0);
  h.add(2);
  h.add(0, 0.5);
  h.add(2, 2.0);
  CHECK(Counts(h.counts().begin(), h.counts().end()) == Counts{0.5, 0.0, 3.0});
  CHECK(h.total() == 3.5);
  Histogram reference(3);
  reference.add(0, 1.0);
  reference.add(2, 6.0);
  // Shares (1/7, 0, 6/7) against (0.5/3.5, 0, 3/3.5) = (1/7, 0, 6/7): no shift.
  CHECK(population_stability_index(reference.counts(), h.counts()) == Approx(0.0).margin(1e-15));
  CHECK(ks_statistic(reference.counts(), h.counts()) == Approx(0.0).margin(1e-15));
  CHECK_THROWS_AS(h.add(3), std::out_of_range);
  CHECK_THROWS_AS(h.add(0, -1.0), std::invalid_argument);
  CHECK_THROWS_AS(h.add(0, std::nan("")), std::invalid_argument);
  h.clear();
  CHECK(h.size() == 3);
  CHECK(h.total() == 0.0);
  CHECK_THROWS_AS(Histogram(0), std::invalid_argument);
}
