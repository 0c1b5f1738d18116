// Private writer of one /series/<cell> group: replication x time datasets filled row by row.
#pragma once

#include <cstddef>
#include <vector>

#include "analysis/output/hdf5_node.h"
#include "analysis/output/results_file.h"

namespace marketsim::h5 {

// The open datasets of one cell's time series. Created NaN-filled; each write_row fills one
// replication of every variable and marks it completed.
class SeriesGroup {
 public:
  // Creates group `layout.cell_name` under `parent` with its `replication` and `time` scales, one
  // (replication, time) float64 dataset per variable and the `completed` flags. Throws RunError
  // on a layout with bad variable names or time units.
  SeriesGroup(const Node& parent, const CellSeriesLayout& layout);

  // Writes values[v][w] (variable v, window w) as row `replication` and sets completed to 1.
  // Throws RunError when the replication is out of range or the shape does not match the layout.
  void write_row(std::size_t replication, const std::vector<std::vector<double>>& values);

  // Closes every dataset and the group, throwing RunError on failure.
  void close();

 private:
  Node group_;
  std::vector<Node> variables_;
  Node completed_;
  hsize_t replications_;
  hsize_t windows_;
};

}  // namespace marketsim::h5
