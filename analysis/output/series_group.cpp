// Private writer of one /series/<cell> group: replication x time datasets filled row by row.
#include "analysis/output/series_group.h"

#include <hdf5_hl.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>
#include <string>

#include "analysis/output/hdf5_columns.h"
#include "sim/core/error.h"

namespace marketsim::h5 {
namespace {

// Largest number of windows stored in one chunk (1 MiB of float64).
constexpr hsize_t kMaxChunkWindows = hsize_t{1} << 17;

// Chunked row by row (one replication per chunk), shuffled and deflated, NaN where never written.
Id series_creation_plist(const Node& group, hsize_t windows) {
  Id dcpl = dataset_creation_plist();
  const hsize_t chunk[2] = {1, std::clamp<hsize_t>(windows, 1, kMaxChunkWindows)};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (H5Pset_chunk(dcpl.get(), 2, chunk) < 0 ||
      H5Pset_fill_value(dcpl.get(), H5T_NATIVE_DOUBLE, &nan) < 0) {
    group.fail("set up series storage");
  }
  if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 &&
      (H5Pset_shuffle(dcpl.get()) < 0 || H5Pset_deflate(dcpl.get(), 4) < 0)) {
    group.fail("set up series compression");
  }
  return dcpl;
}

void validate_layout(const Node& parent, const CellSeriesLayout& layout) {
  const auto reject = [&](const std::string& what) {
    throw RunError(parent.file() + ": " + parent.child_path(layout.cell_name) +
                   ": invalid series layout: " + what);
  };
  if (layout.time_units != "h" && layout.time_units != "s") {
    reject("time units must be \"h\" or \"s\", got \"" + layout.time_units + "\"");
  }
  std::set<std::string> names;
  for (const SeriesVariable& variable : layout.variables) {
    const std::string& name = variable.name;
    if (name.empty() || name == "." || name.find('/') != std::string::npos ||
        name == "replication" || name == "time" || name == "completed") {
      reject("bad variable name \"" + name + "\"");
    }
    if (!names.insert(name).second) reject("duplicate variable " + name);
  }
}

// Selects the block of `count` elements at `start` of a dataset's file space.
Id select_block(const Node& dataset, const std::vector<hsize_t>& start,
                const std::vector<hsize_t>& count) {
  Id space(H5Dget_space(dataset.id()));
  if (!space.valid() || H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr,
                                            count.data(), nullptr) < 0) {
    dataset.fail("select replication " + std::to_string(start.front()));
  }
  return space;
}

}  // namespace

SeriesGroup::SeriesGroup(const Node& parent, const CellSeriesLayout& layout)
    : replications_(layout.replications), windows_(layout.window_end.size()) {
  validate_layout(parent, layout);
  group_ = parent.create_group(layout.cell_name);
  const Node replication =
      write_index_scale(group_, "replication", layout.replications, "replication index");
  const Id dcpl = dataset_creation_plist();
  const Node time = group_.create_dataset("time", H5T_IEEE_F64LE, {windows_}, dcpl.get());
  if (windows_ > 0) time.write(H5T_NATIVE_DOUBLE, layout.window_end.data());
  if (H5DSset_scale(time.id(), "time") < 0) time.fail("make a dimension scale");
  set_cf_attrs(time, layout.time_units, "end of window");

  const Id series_dcpl = series_creation_plist(group_, windows_);
  for (const SeriesVariable& variable : layout.variables) {
    Node dataset = group_.create_dataset(variable.name, H5T_IEEE_F64LE, {replications_, windows_},
                                         series_dcpl.get());
    attach_scale(dataset, replication, 0);
    attach_scale(dataset, time, 1);
    set_cf_attrs(dataset, variable.units, variable.long_name);
    variables_.push_back(std::move(dataset));
  }

  const Id completed_dcpl = dataset_creation_plist();
  const std::int8_t zero = 0;
  if (H5Pset_fill_value(completed_dcpl.get(), H5T_NATIVE_INT8, &zero) < 0) {
    group_.fail("set up completed flags");
  }
  completed_ =
      group_.create_dataset("completed", H5T_STD_I8LE, {replications_}, completed_dcpl.get());
  attach_scale(completed_, replication, 0);
  set_cf_attrs(completed_, "", "1 when the replication finished and its row is written, else 0");
}

void SeriesGroup::write_row(std::size_t replication,
                            const std::vector<std::vector<double>>& values) {
  if (replication >= replications_) {
    group_.fail("write replication " + std::to_string(replication) + " of " +
                std::to_string(replications_));
  }
  if (values.size() != variables_.size()) {
    group_.fail("write " + std::to_string(values.size()) + " variables into a layout of " +
                std::to_string(variables_.size()));
  }
  const hsize_t row = replication;
  for (std::size_t v = 0; v < variables_.size(); ++v) {
    if (values[v].size() != windows_) {
      variables_[v].fail("write " + std::to_string(values[v].size()) +
                         " windows into a layout of " + std::to_string(windows_));
    }
    if (windows_ == 0) continue;
    const Id file_space = select_block(variables_[v], {row, 0}, {1, windows_});
    const Id memory_space(H5Screate_simple(1, &windows_, nullptr));
    if (H5Dwrite(variables_[v].id(), H5T_NATIVE_DOUBLE, memory_space.get(), file_space.get(),
                 H5P_DEFAULT, values[v].data()) < 0) {
      variables_[v].fail("write replication " + std::to_string(row));
    }
  }
  const Id file_space = select_block(completed_, {row}, {1});
  const hsize_t one = 1;
  const Id memory_space(H5Screate_simple(1, &one, nullptr));
  const std::int8_t done = 1;
  if (H5Dwrite(completed_.id(), H5T_NATIVE_INT8, memory_space.get(), file_space.get(), H5P_DEFAULT,
               &done) < 0) {
    completed_.fail("write replication " + std::to_string(row));
  }
}

void SeriesGroup::close() {
  for (Node& variable : variables_) variable.close();
  completed_.close();
  group_.close();
}

}  // namespace marketsim::h5
