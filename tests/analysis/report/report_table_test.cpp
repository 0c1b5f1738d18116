// Report table formats: the half-width to two significant digits, the mean to the same place,
// and intervals below the table's resolution shown as exact.
#include <catch2/catch.hpp>

#include "analysis/report/report_table.h"

using namespace marketsim;

TEST_CASE("report cells round the mean to the half-width's second digit", "[analysis][report]") {
  CHECK(format(Estimate{6, 0.4712, 0.1391}) == "0.47 ± 0.14");
  CHECK(format(Estimate{6, 24175.2, 16623.4}) == "24175 ± 16623");
  CHECK(format(Estimate{1, 2.5}) == "2.5");
  CHECK(format(Estimate{}) == "-");
}

TEST_CASE("an interval within rounding of zero shows as exact", "[analysis][report]") {
  // An upper-bound cell: regret is zero but for floating-point rounding in its sums.
  CHECK(format(Estimate{6, -1.2e-17, 3.4e-17}) == "0 ± 0");
  CHECK(format(Estimate{6, 0.25, 0.0}) == "0.25 ± 0");
  CHECK(format(Estimate{6, 0.25, 1e-13}) == "0.25 ± 0");
}
