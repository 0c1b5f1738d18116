// Private writers of netCDF-style columns: dimension scales, string datasets, CF attributes,
// tables.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "analysis/output/hdf5_node.h"
#include "analysis/output/results_file.h"

namespace marketsim::h5 {

// Writes `name` = 0..n-1 (int64) into `group`, makes it a dimension scale and returns it open.
Node write_index_scale(const Node& group, const std::string& name, std::size_t n,
                       const std::string& long_name);

// Attaches `scale` to axis `axis` of `dataset` (the netCDF dimension of that axis).
void attach_scale(const Node& dataset, const Node& scale, unsigned axis);

// Sets CF `units` (skipped when empty) and `long_name` (skipped when empty).
void set_cf_attrs(const Node& node, const std::string& units, const std::string& long_name);

// Sets CF flag_values = 0..n-1 (int64) and flag_meanings = the names joined by spaces.
void set_flags(const Node& node, const std::vector<std::string>& meanings);

// Writes a scalar UTF-8 string dataset.
Node write_string(const Node& group, const std::string& name, const std::string& value);

// Writes a 1-D UTF-8 string dataset along `scale`.
Node write_strings(const Node& group, const std::string& name,
                   const std::vector<std::string>& values, const Node& scale);

// Throws RunError (naming `file` and `group_path`) unless the table has distinct, valid column
// names other than "row", equal column lengths, and space-free flag meanings on integer columns
// only.
void validate_table(const Table& table, const std::string& file, const std::string& group_path);
// The same for columns given by address.
void validate_columns(std::span<const Column* const> columns, const std::string& file,
                      const std::string& group_path);

// Writes `table` into `group`: a `row` scale 0..N-1 and one 1-D dataset per column attached to it.
void write_table(const Node& group, const Table& table);

// The same for a table filled a slice of rows at a time (slices of whole chunks when the columns
// are compressed, else one slice). Throws RunError, `context` followed by what, when a slice's
// columns are not all of its length.
void write_table(const Node& group, const SlicedTable& table, const std::string& context);

}  // namespace marketsim::h5
