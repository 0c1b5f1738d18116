#include "analysis/output/array_group.h"

#include <hdf5_hl.h>

#include <set>

#include "analysis/output/hdf5_columns.h"
#include "sim/core/error.h"

namespace marketsim {

std::size_t Dimension::size() const {
  return std::visit([](const auto& values) { return values.size(); }, coordinate);
}

namespace h5 {
namespace {

constexpr hsize_t kCompressAbove = 4096;  // elements

bool valid_name(const std::string& name) {
  if (name.empty() || name == "." || name == "..") return false;
  for (const char c : name) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

Node write_coordinate(const Node& group, const Dimension& d) {
  const Id dcpl = dataset_creation_plist();
  const hsize_t n = d.size();
  Node scale;
  if (const auto* strings = std::get_if<std::vector<std::string>>(&d.coordinate)) {
    const Id type = utf8_string_type();
    scale = group.create_dataset(d.name, type.get(), {n}, dcpl.get());
    std::vector<const char*> texts;
    for (const std::string& s : *strings) texts.push_back(s.c_str());
    if (n > 0) scale.write(type.get(), texts.data());
  } else if (const auto* ints = std::get_if<std::vector<std::int64_t>>(&d.coordinate)) {
    scale = group.create_dataset(d.name, H5T_STD_I64LE, {n}, dcpl.get());
    if (n > 0) scale.write(H5T_NATIVE_INT64, ints->data());
  } else {
    const auto& reals = std::get<std::vector<double>>(d.coordinate);
    scale = group.create_dataset(d.name, H5T_IEEE_F64LE, {n}, dcpl.get());
    if (n > 0) scale.write(H5T_NATIVE_DOUBLE, reals.data());
  }
  if (H5DSset_scale(scale.id(), d.name.c_str()) < 0) scale.fail("make a dimension scale");
  set_cf_attrs(scale, d.units, d.long_name);
  return scale;
}

Id variable_plist(const Node& group, const std::vector<hsize_t>& shape) {
  Id dcpl = dataset_creation_plist();
  hsize_t total = 1;
  for (hsize_t n : shape) total *= n;
  if (total <= kCompressAbove || H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0) return dcpl;
  std::vector<hsize_t> chunk = shape;
  chunk.front() = 1;  // one replication (the first dimension) per chunk
  if (H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()) < 0 ||
      H5Pset_shuffle(dcpl.get()) < 0 || H5Pset_deflate(dcpl.get(), 4) < 0)
    group.fail("set up array compression");
  return dcpl;
}

}  // namespace

void validate_arrays(const ArrayGroup& arrays, const std::string& file, const std::string& path) {
  const auto reject = [&](const std::string& what) {
    throw RunError(file + ": /" + path + ": invalid arrays: " + what);
  };
  std::set<std::string> names;
  for (const Dimension& d : arrays.dimensions) {
    if (!valid_name(d.name)) reject("bad dimension name \"" + d.name + "\"");
    if (!names.insert(d.name).second) reject("duplicate name " + d.name);
  }
  for (const ArrayVariable& v : arrays.variables) {
    if (!valid_name(v.name)) reject("bad variable name \"" + v.name + "\"");
    if (!names.insert(v.name).second) reject("duplicate name " + v.name);
    std::size_t expected = 1;
    for (std::size_t d : v.dims) {
      if (d >= arrays.dimensions.size()) reject(v.name + " uses a dimension that does not exist");
      expected *= arrays.dimensions[d].size();
    }
    if (v.dims.empty() || v.data.size() != expected)
      reject(v.name + " holds " + std::to_string(v.data.size()) + " values, its shape " +
             std::to_string(expected));
  }
}

void write_arrays(const Node& group, const ArrayGroup& arrays) {
  std::vector<Node> scales;
  for (const Dimension& d : arrays.dimensions) scales.push_back(write_coordinate(group, d));
  for (const ArrayVariable& v : arrays.variables) {
    std::vector<hsize_t> shape;
    for (std::size_t d : v.dims) shape.push_back(arrays.dimensions[d].size());
    const Id dcpl = variable_plist(group, shape);
    const Node dataset = group.create_dataset(v.name, H5T_IEEE_F64LE, shape, dcpl.get());
    if (!v.data.empty()) dataset.write(H5T_NATIVE_DOUBLE, v.data.data());
    for (std::size_t axis = 0; axis < v.dims.size(); ++axis)
      attach_scale(dataset, scales[v.dims[axis]], static_cast<unsigned>(axis));
    set_cf_attrs(dataset, v.units, v.long_name);
  }
}

}  // namespace h5
}  // namespace marketsim
