// Column builders shared by the runner's table writers (private to sim/runner).
#pragma once

#include <algorithm>
#include <cstdint>
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

// A table of one row per record (`records`, a member of FinishedReplication holding a vector) of
// each replication of `order`, in that order, filled a slice at a time: fill(replication, record,
// row) sets every column of `columns` (owned by `fill`'s captures) at `row` of the slice. Each
// slice sizes the columns (the first in huge pages where they fit, reused after) and fills its
// rows in parallel pieces on the threads of the current oneTBB arena.
template <typename Records, typename Fill>
SlicedTable sliced_rows(std::vector<Column*> columns, std::vector<const FinishedReplication*> order,
                        Records FinishedReplication::*records, Fill fill) {
  std::vector<std::size_t> first_row(order.size() + 1, 0);
  for (std::size_t k = 0; k < order.size(); ++k)
    first_row[k + 1] = first_row[k] + (order[k]->*records).size();
  SlicedTable table;
  table.rows = first_row.back();
  table.columns.assign(columns.begin(), columns.end());
  table.fill = [columns, order = std::move(order), first_row = std::move(first_row), records,
                fill = std::move(fill)](std::size_t first, std::size_t count) {
    parallel_for_index(0, columns.size(), [&](std::size_t c) {
      std::visit(
          [&](auto& values) {
            if (values.capacity() < count) {
              values.reserve(count);
              advise_huge_pages(values.data(), count * sizeof(values[0]));
            }
            values.resize(count);
          },
          columns[c]->data);
    });
    constexpr std::size_t kPieceRows = 16384;
    parallel_for_index(0, (count + kPieceRows - 1) / kPieceRows, [&](std::size_t piece) {
      const std::size_t begin = first + piece * kPieceRows;
      const std::size_t end = std::min(first + count, begin + kPieceRows);
      // The last replication whose rows start at or before `begin`.
      auto k = static_cast<std::size_t>(
          std::upper_bound(first_row.begin(), first_row.end(), begin) - first_row.begin() - 1);
      for (std::size_t row = begin; row < end; ++k) {
        const auto& replication_records = order[k]->*records;
        for (; row < std::min(end, first_row[k + 1]); ++row)
          fill(*order[k], replication_records[row - first_row[k]], row - first);
      }
    });
  };
  return table;
}

// Appends one value to a column of its kind.
inline void push(Column& column, double value) {
  std::get<std::vector<double>>(column.data).push_back(value);
}
inline void push(Column& column, std::int64_t value) {
  std::get<std::vector<std::int64_t>>(column.data).push_back(value);
}

}  // namespace marketsim
