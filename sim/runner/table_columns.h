// Column builders shared by the runner's table writers (private to sim/runner).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "analysis/output/results_file.h"
#include "sim/core/huge_page_allocator.h"
#include "sim/core/parallel_for.h"
#include "sim/runner/replication_capture.h"

namespace marketsim {

// An empty float64 column.
inline Column real_column(std::string name, std::string units, std::string long_name) {
  return Column{std::move(name), std::move(units), std::move(long_name), std::vector<double>{}, {}};
}

// An empty int64 column.
inline Column int_column(const char* name, const char* units, const char* long_name) {
  return Column{name, units, long_name, std::vector<std::int64_t>{}, {}};
}

// Sets value `row` of a column of its kind (sized beforehand).
inline void set(Column& column, std::size_t row, double value) {
  std::get<std::vector<double>>(column.data)[row] = value;
}
inline void set(Column& column, std::size_t row, std::int64_t value) {
  std::get<std::vector<std::int64_t>>(column.data)[row] = value;
}

// Fills `columns` with one row per record (`records`, a member of FinishedReplication holding a
// vector) of each replication of `order`, in that order: fill(replication, record, row) sets
// every column at `row`. The columns are sized in parallel (each on one thread: their pages are
// first touched there), then the replications' rows are filled in parallel, on the threads of
// the current oneTBB arena.
template <typename Records, typename Fill>
void fill_rows(std::span<Column* const> columns,
               const std::vector<const FinishedReplication*>& order,
               Records FinishedReplication::*records, const Fill& fill) {
  std::vector<std::size_t> first_row(order.size() + 1, 0);
  for (std::size_t k = 0; k < order.size(); ++k)
    first_row[k + 1] = first_row[k] + (order[k]->*records).size();
  parallel_for_index(0, columns.size(), [&](std::size_t c) {
    std::visit(
        [&](auto& values) {
          values.reserve(first_row.back());
          advise_huge_pages(values.data(), first_row.back() * sizeof(values[0]));
          values.resize(first_row.back());
        },
        columns[c]->data);
  });
  parallel_for_index(0, order.size(), [&](std::size_t k) {
    std::size_t row = first_row[k];
    for (const auto& record : order[k]->*records) fill(*order[k], record, row++);
  });
}

// Appends one value to a column of its kind.
inline void push(Column& column, double value) {
  std::get<std::vector<double>>(column.data).push_back(value);
}
inline void push(Column& column, std::int64_t value) {
  std::get<std::vector<std::int64_t>>(column.data).push_back(value);
}

}  // namespace marketsim
