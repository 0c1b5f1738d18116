// Column builders shared by the runner's table writers (private to sim/runner).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/output/results_file.h"

namespace marketsim {

// An empty float64 column.
inline Column real_column(std::string name, std::string units, std::string long_name) {
  return Column{std::move(name), std::move(units), std::move(long_name), std::vector<double>{}, {}};
}

// An empty int64 column.
inline Column int_column(const char* name, const char* units, const char* long_name) {
  return Column{name, units, long_name, std::vector<std::int64_t>{}, {}};
}

// Appends one value to a column of its kind.
inline void push(Column& column, double value) {
  std::get<std::vector<double>>(column.data).push_back(value);
}
inline void push(Column& column, std::int64_t value) {
  std::get<std::vector<std::int64_t>>(column.data).push_back(value);
}

}  // namespace marketsim
