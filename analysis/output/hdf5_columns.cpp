// Private writers of netCDF-style columns: dimension scales, string datasets, CF attributes,
// tables.
#include "analysis/output/hdf5_columns.h"

#include <hdf5_hl.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <set>
#include <span>
#include <variant>

#include "analysis/output/deflated_chunks.h"
#include "sim/core/error.h"

namespace marketsim::h5 {
namespace {

// A valid HDF5 link name that is not special to the layout.
bool valid_column_name(const std::string& name) {
  return !name.empty() && name != "." && name != "row" && name.find('/') == std::string::npos;
}

std::size_t column_length(const Column& column) {
  return std::visit([](const auto& values) { return values.size(); }, column.data);
}

constexpr hsize_t kCompressAbove = 4096;  // rows: smaller tables stay contiguous
constexpr hsize_t kChunkRows = 65536;     // 512 KiB of float64 or int64 per chunk
constexpr int kDeflateLevel = 1;
static_assert(kTableSliceRows % kChunkRows == 0, "slices are whole chunks");

// Whether a table of `rows` stores its columns chunked, shuffled and deflated, so that the logs
// (impressions, candidates) stay small on disk and h5py and pandas read them as usual.
bool compressed(hsize_t rows) {
  return rows > kCompressAbove && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0;
}

// Creation properties of the columns of a table of `rows`.
Id column_plist(const Node& group, hsize_t rows) {
  Id dcpl = dataset_creation_plist();
  if (!compressed(rows)) return dcpl;
  const hsize_t chunk = std::min(rows, kChunkRows);
  if (H5Pset_chunk(dcpl.get(), 1, &chunk) < 0 || H5Pset_shuffle(dcpl.get()) < 0 ||
      H5Pset_deflate(dcpl.get(), kDeflateLevel) < 0)
    group.fail("set up column compression");
  return dcpl;
}

// The bytes of a column's values.
std::span<const std::byte> column_bytes(const Column& column) {
  return std::visit([](const auto& values) { return std::as_bytes(std::span(values)); },
                    column.data);
}

// The addresses of a table's columns, in order.
std::vector<const Column*> column_addresses(const Table& table) {
  std::vector<const Column*> columns;
  for (const Column& column : table.columns) columns.push_back(&column);
  return columns;
}

// A table's datasets in the file: its `row` scale and one per column, of `rows` rows.
struct TableDatasets {
  Node row;
  std::vector<Node> columns;
  std::size_t rows;
};

// Creates the row scale and the (empty) datasets of `columns` with `rows` rows.
TableDatasets create_table(const Node& group, std::span<const Column* const> columns,
                           std::size_t rows) {
  TableDatasets table{write_index_scale(group, "row", rows, "row index"), {}, rows};
  const Id dcpl = column_plist(group, rows);
  table.columns.reserve(columns.size());
  for (const Column* column : columns) {
    const bool is_double = std::holds_alternative<std::vector<double>>(column->data);
    table.columns.push_back(group.create_dataset(
        column->name, is_double ? H5T_IEEE_F64LE : H5T_STD_I64LE, {rows}, dcpl.get()));
  }
  return table;
}

// Writes `columns`, rows [first, first + their length) of the table: whole chunks compressed in
// parallel when the table is compressed (`first` then a multiple of the chunk), else the whole
// table at once (`first` 0).
void write_rows(const TableDatasets& table, std::span<const Column* const> columns,
                std::size_t first) {
  const std::size_t rows = table.rows;
  if (compressed(rows)) {
    std::vector<DeflatedColumn> deflated;
    for (std::size_t c = 0; c < columns.size(); ++c)
      deflated.push_back({&table.columns[c], column_bytes(*columns[c])});
    write_deflated_columns(deflated, std::min<std::size_t>(rows, kChunkRows), kDeflateLevel, first);
  } else if (rows > 0) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const bool is_double = std::holds_alternative<std::vector<double>>(columns[c]->data);
      table.columns[c].write(is_double ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64,
                             column_bytes(*columns[c]).data());
    }
  }
}

// Attaches the row scale to every column and sets their attributes.
void finish_table(const TableDatasets& table, std::span<const Column* const> columns) {
  for (std::size_t c = 0; c < columns.size(); ++c) {
    attach_scale(table.columns[c], table.row, 0);
    set_cf_attrs(table.columns[c], columns[c]->units, columns[c]->long_name);
    if (!columns[c]->flag_meanings.empty()) set_flags(table.columns[c], columns[c]->flag_meanings);
  }
}

}  // namespace

Node write_index_scale(const Node& group, const std::string& name, std::size_t n,
                       const std::string& long_name) {
  std::vector<std::int64_t> values(n);
  std::iota(values.begin(), values.end(), std::int64_t{0});
  const Id dcpl = dataset_creation_plist();
  Node scale = group.create_dataset(name, H5T_STD_I64LE, {n}, dcpl.get());
  if (n > 0) scale.write(H5T_NATIVE_INT64, values.data());
  if (H5DSset_scale(scale.id(), name.c_str()) < 0) scale.fail("make a dimension scale");
  set_cf_attrs(scale, "", long_name);
  return scale;
}

void attach_scale(const Node& dataset, const Node& scale, unsigned axis) {
  if (H5DSattach_scale(dataset.id(), scale.id(), axis) < 0) {
    dataset.fail("attach dimension scale " + scale.path());
  }
}

void set_cf_attrs(const Node& node, const std::string& units, const std::string& long_name) {
  if (!units.empty()) node.set_attr("units", units);
  if (!long_name.empty()) node.set_attr("long_name", long_name);
}

void set_flags(const Node& node, const std::vector<std::string>& meanings) {
  std::vector<std::int64_t> codes(meanings.size());
  std::iota(codes.begin(), codes.end(), std::int64_t{0});
  std::string joined;
  for (const std::string& meaning : meanings) joined += (joined.empty() ? "" : " ") + meaning;
  node.set_attr("flag_values", codes);
  node.set_attr("flag_meanings", joined);
}

Node write_string(const Node& group, const std::string& name, const std::string& value) {
  const Id type = utf8_string_type();
  const Id dcpl = dataset_creation_plist();
  Node dataset = group.create_dataset(name, type.get(), {}, dcpl.get());
  const char* text = value.c_str();
  dataset.write(type.get(), &text);
  return dataset;
}

Node write_strings(const Node& group, const std::string& name,
                   const std::vector<std::string>& values, const Node& scale) {
  const Id type = utf8_string_type();
  const Id dcpl = dataset_creation_plist();
  Node dataset = group.create_dataset(name, type.get(), {values.size()}, dcpl.get());
  std::vector<const char*> texts;
  texts.reserve(values.size());
  for (const std::string& value : values) texts.push_back(value.c_str());
  if (!texts.empty()) dataset.write(type.get(), texts.data());
  attach_scale(dataset, scale, 0);
  return dataset;
}

void validate_columns(std::span<const Column* const> columns, const std::string& file,
                      const std::string& group_path) {
  const auto reject = [&](const std::string& what) {
    throw RunError(file + ": " + group_path + ": invalid table: " + what);
  };
  std::set<std::string> names;
  for (const Column* column : columns) {
    if (!valid_column_name(column->name)) reject("bad column name \"" + column->name + "\"");
    if (!names.insert(column->name).second) reject("duplicate column " + column->name);
    if (column_length(*column) != column_length(*columns.front())) {
      reject("column " + column->name + " has " + std::to_string(column_length(*column)) +
             " rows, column " + columns.front()->name + " has " +
             std::to_string(column_length(*columns.front())));
    }
    if (column->flag_meanings.empty()) continue;
    if (std::holds_alternative<std::vector<double>>(column->data)) {
      reject("column " + column->name + " has flag meanings but is not an integer column");
    }
    for (const std::string& meaning : column->flag_meanings) {
      if (meaning.empty() || meaning.find_first_of(" \t\n") != std::string::npos) {
        reject("column " + column->name + ": flag meaning \"" + meaning +
               "\" is empty or has spaces");
      }
    }
  }
}

void validate_table(const Table& table, const std::string& file, const std::string& group_path) {
  validate_columns(column_addresses(table), file, group_path);
}

void write_table(const Node& group, const Table& table) {
  const std::vector<const Column*> columns = column_addresses(table);
  const std::size_t rows = columns.empty() ? 0 : column_length(*columns.front());
  const TableDatasets datasets = create_table(group, columns, rows);
  write_rows(datasets, columns, 0);
  finish_table(datasets, columns);
}

void write_table(const Node& group, const SlicedTable& table, const std::string& context) {
  const std::size_t rows = table.rows;
  const TableDatasets datasets = create_table(group, table.columns, rows);
  const std::size_t slice_rows = compressed(rows) ? kTableSliceRows : rows;
  for (std::size_t first = 0; first < rows; first += slice_rows) {
    const std::size_t count = std::min(slice_rows, rows - first);
    table.fill(first, count);
    for (const Column* column : table.columns)
      if (column_length(*column) != count)
        throw RunError(context + "column " + column->name + " has " +
                       std::to_string(column_length(*column)) + " rows in a slice of " +
                       std::to_string(count));
    write_rows(datasets, table.columns, first);
  }
  finish_table(datasets, table.columns);
}

}  // namespace marketsim::h5
