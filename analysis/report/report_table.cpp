// Report tables: Student-t intervals and column alignment shared by the report's blocks.
#include "analysis/report/report_table.h"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace marketsim {
namespace {

// Display width of UTF-8 text (one column per code point).
std::size_t width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

Estimate estimate(const std::vector<double>& values) {
  Estimate e;
  e.n = values.size();
  if (e.n == 0) return e;
  for (const double v : values) e.mean += v / static_cast<double>(e.n);
  if (e.n < 2) return e;
  double squares = 0.0;
  for (const double v : values) squares += (v - e.mean) * (v - e.mean);
  const double sd = std::sqrt(squares / static_cast<double>(e.n - 1));
  const boost::math::students_t t(static_cast<double>(e.n - 1));
  const double quantile = boost::math::quantile(boost::math::complement(t, 0.025));
  e.half_width = quantile * sd / std::sqrt(static_cast<double>(e.n));
  return e;
}

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

std::string format(const Estimate& e) {
  if (e.n == 0) return "-";
  if (e.n == 1 || !std::isfinite(e.half_width)) return number(e.mean);
  // An interval below the table's resolution (e.g. an upper-bound cell whose regret is zero but
  // for rounding) shows as exact, and a mean within rounding of 0 as 0.
  constexpr double kResolution = 1e-11;
  if (e.half_width < kResolution)
    return number(std::abs(e.mean) < kResolution ? 0.0 : e.mean) + " ± 0";
  // The half-width to two significant digits, the mean to the same decimal place.
  const int decimals =
      std::clamp(1 - static_cast<int>(std::floor(std::log10(e.half_width))), 0, 12);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%.*f ± %.*f", decimals, e.mean, decimals, e.half_width);
  return buffer;
}

std::string render(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string pad(widths[i] - width(row[i]), ' ');
      out += i == 0 ? row[i] + pad : "  " + pad + row[i];
    }
    out.erase(out.find_last_not_of(' ') + 1);
    out += '\n';
  }
  return out;
}

}  // namespace marketsim
