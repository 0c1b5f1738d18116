// Report tables: means with confidence half-widths, number formats and aligned columns.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace marketsim {

// Mean of some values with its 95% Student-t half-width (NaN when fewer than two values).
struct Estimate {
  std::size_t n = 0;
  double mean = 0.0;
  double half_width = std::numeric_limits<double>::quiet_NaN();
};

// The mean and 95% Student-t half-width of `values`.
Estimate estimate(const std::vector<double>& values);

// A number in %.6g.
std::string number(double value);

// "mean ± half-width" with the half-width to two significant digits and the mean to the same
// decimal place; just the mean with one value, "-" with none.
std::string format(const Estimate& e);

// Renders rows as aligned columns: the first left-aligned, the others right-aligned.
std::string render(const std::vector<std::vector<std::string>>& rows);

}  // namespace marketsim
