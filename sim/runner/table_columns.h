// Column builders shared by the runner's table writers (private to sim/runner).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <variant>
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

// Makes room for `rows` values in a column (so that appending them moves no value twice).
inline void reserve(Column& column, std::size_t rows) {
  std::visit([&](auto& values) { values.reserve(rows); }, column.data);
}
inline void reserve(std::initializer_list<Column*> columns, std::size_t rows) {
  for (Column* column : columns) reserve(*column, rows);
}

// Appends one value to a column of its kind.
inline void push(Column& column, double value) {
  std::get<std::vector<double>>(column.data).push_back(value);
}
inline void push(Column& column, std::int64_t value) {
  std::get<std::vector<std::int64_t>>(column.data).push_back(value);
}

}  // namespace marketsim
