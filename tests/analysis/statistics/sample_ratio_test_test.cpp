// sample_ratio_test against scipy.stats.chisquare (scipy 1.10.1) and closed forms.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "analysis/statistics/sample_ratio_test.h"

using namespace marketsim;

TEST_CASE("sample ratio test matches scipy's chisquare", "[experiment_stats]") {
  // 5050 vs 4950 planned 50/50: E = 5000 each, (50^2 + 50^2) / 5000 = 1;
  // scipy p = 0.31731050786291115.
  const SrmResult two = sample_ratio_test(std::array{5050.0, 4950.0}, std::array{1.0, 1.0});
  CHECK(two.statistic == Approx(1.0).epsilon(1e-14));
  CHECK(two.df == 1.0);
  CHECK(two.p_value == Approx(0.31731050786291115).epsilon(1e-12));
  // 1000, 1100, 2150 planned 25/25/50: E = 1062.5, 1062.5, 2125, statistic 3.6765 + 1.3235 +
  // 0.2941 = 5.294117647058823; with 2 df the tail is exp(-x / 2) = 0.07085931663054641 (scipy).
  // Unnormalized shares give the same answer.
  for (const auto& shares : {std::vector<double>{0.25, 0.25, 0.5}, std::vector<double>{1, 1, 2}}) {
    const SrmResult three = sample_ratio_test(std::array{1000.0, 1100.0, 2150.0}, shares);
    CHECK(three.statistic == Approx(5.294117647058823).epsilon(1e-13));
    CHECK(three.df == 2.0);
    CHECK(three.p_value == Approx(0.07085931663054641).epsilon(1e-12));
    CHECK(three.p_value == Approx(std::exp(-three.statistic / 2)).epsilon(1e-13));
  }
  // Counts exactly on plan: statistic 0, p 1.
  const SrmResult exact = sample_ratio_test(std::array{300.0, 100.0}, std::array{0.75, 0.25});
  CHECK(exact.statistic == 0.0);
  CHECK(exact.p_value == 1.0);
}

TEST_CASE("sample ratio test conventions and bad input", "[experiment_stats]") {
  const SrmResult none = sample_ratio_test(std::array{0.0, 0.0}, std::array{1.0, 1.0});
  CHECK(std::isnan(none.statistic));
  CHECK(std::isnan(none.p_value));
  CHECK(none.df == 1.0);
  CHECK_THROWS_AS(sample_ratio_test(std::array{1.0, 2.0}, std::array{1.0}), std::invalid_argument);
  CHECK_THROWS_AS(sample_ratio_test(std::array{1.0}, std::array{1.0}), std::invalid_argument);
  CHECK_THROWS_AS(sample_ratio_test(std::array{1.0, -2.0}, std::array{1.0, 1.0}),
                  std::invalid_argument);
  CHECK_THROWS_AS(sample_ratio_test(std::array{1.0, 2.0}, std::array{1.0, 0.0}),
                  std::invalid_argument);
}
