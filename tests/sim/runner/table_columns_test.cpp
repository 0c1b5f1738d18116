// The log tables' rows, filled a slice at a time: whatever the slices, every record of every
// replication lands in its row, in replication order, empty replications included.
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/runner/table_columns.h"

namespace marketsim {

TEST_CASE("sliced_rows fills every slice with the records of its rows") {
  // Replications of 0, 70 000, 0, 250 000 and 5 impressions; record i of replication k has
  // transaction 1 000 000 k + i.
  const std::vector<std::size_t> sizes{0, 70000, 0, 250000, 5};
  std::vector<FinishedReplication> replications(sizes.size());
  std::vector<const FinishedReplication*> order;
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    replications[k].replication = k;
    replications[k].impressions.resize(sizes[k]);
    for (std::size_t i = 0; i < sizes[k]; ++i)
      replications[k].impressions[i].transaction = 1000000 * k + i;
    order.push_back(&replications[k]);
  }
  struct Columns {
    Column replication = int_column("replication", "", "");
    Column transaction = int_column("transaction", "", "");
  };
  const auto columns = std::make_shared<Columns>();
  const SlicedTable table = sliced_rows(
      {&columns->replication, &columns->transaction}, order, &FinishedReplication::impressions,
      [columns](const FinishedReplication& r, const ImpressionRecord& i, std::size_t row) {
        set(columns->replication, row, static_cast<std::int64_t>(r.replication));
        set(columns->transaction, row, static_cast<std::int64_t>(i.transaction));
      });
  REQUIRE(table.rows == 320005);
  std::vector<std::int64_t> expected;
  for (std::size_t k = 0; k < sizes.size(); ++k)
    for (std::size_t i = 0; i < sizes[k]; ++i)
      expected.push_back(static_cast<std::int64_t>(1000000 * k + i));
  // Slices as the writer takes them, and slices that start inside replications.
  for (const std::size_t slice : {std::size_t{262144}, std::size_t{69999}, std::size_t{320005}}) {
    std::vector<std::int64_t> transactions;
    for (std::size_t first = 0; first < table.rows; first += slice) {
      const std::size_t count = std::min(slice, table.rows - first);
      table.fill(first, count);
      const auto& filled = std::get<std::vector<std::int64_t>>(columns->transaction.data);
      REQUIRE(filled.size() == count);
      transactions.insert(transactions.end(), filled.begin(), filled.end());
      const auto& replication = std::get<std::vector<std::int64_t>>(columns->replication.data);
      CHECK(replication.front() == static_cast<std::int64_t>(expected[first] / 1000000));
    }
    INFO("slices of " << slice);
    CHECK(transactions == expected);
  }
}

}  // namespace marketsim
