// TableReader: whole-column reads through the HDF5 node wrapper.
#include "analysis/output/table_reader.h"

#include "analysis/output/hdf5_node.h"
#include "sim/core/error.h"

namespace marketsim {

struct TableReader::Impl {
  h5::Node root;

  h5::Node column(const std::string& group, const std::string& name) const {
    if (!root.has_child(group)) root.fail("read /" + group + ": the group is missing");
    const h5::Node g = root.open_group(group);
    if (!g.has_child(name)) g.fail("read column " + name + ": missing");
    h5::Node dataset = g.open_dataset(name);
    if (dataset.rank() != 1)
      throw RunError(dataset.file() + ": " + dataset.path() + ": not a column (" +
                     std::to_string(dataset.rank()) + " dimensions, expected 1)");
    return dataset;
  }
};

TableReader::TableReader(const std::string& path)
    : impl_(std::make_unique<Impl>(Impl{h5::open_file_readonly(path)})) {
  const h5::Node& root = impl_->root;
  if (!root.has_attr("format") || root.string_attr("format") != "marketsim")
    throw RunError(path + ": not a marketsim results file (no format=\"marketsim\")");
  if (!root.has_attr("format_version") || root.int_attr("format_version") != 1)
    throw RunError(path + ": unsupported marketsim format_version (this build reads 1)");
}

TableReader::~TableReader() = default;

bool TableReader::has_group(const std::string& group) const { return impl_->root.has_child(group); }

bool TableReader::has_column(const std::string& group, const std::string& column) const {
  return has_group(group) && impl_->root.open_group(group).has_child(column);
}

std::vector<double> TableReader::doubles(const std::string& group,
                                         const std::string& column) const {
  return impl_->column(group, column).read_doubles();
}

std::vector<std::int64_t> TableReader::ints(const std::string& group,
                                            const std::string& column) const {
  return impl_->column(group, column).read_ints();
}

std::vector<std::string> TableReader::strings(const std::string& group,
                                              const std::string& column) const {
  return impl_->column(group, column).read_strings();
}

}  // namespace marketsim
