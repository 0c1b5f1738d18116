// Private RAII layer over HDF5 C ids: owned ids, error messages, groups and datasets with
// attributes.
#include "analysis/output/hdf5_node.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "sim/core/error.h"

namespace marketsim::h5 {
namespace {

// H5Ewalk2 callback: keeps the description of the first (most specific) entry.
herr_t keep_innermost(unsigned n, const H5E_error2_t* err, void* client) {
  auto* out = static_cast<std::string*>(client);
  if (n == 0 && err->desc != nullptr) *out = err->desc;
  return 0;
}

// The innermost error's description on one line; for a failed system call (a full disk), only
// the system's message ("file write failed: No space left on device").
std::string error_stack_detail() {
  std::string detail;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &detail);
  H5Eclear2(H5E_DEFAULT);
  const std::string system_marker = "error message = '";
  const std::size_t system = detail.find(system_marker);
  const std::size_t colon = detail.find(':');
  if (system != std::string::npos && colon != std::string::npos) {
    const std::size_t from = system + system_marker.size();
    const std::size_t to = detail.find('\'', from);
    if (to != std::string::npos)
      return detail.substr(0, colon) + ": " + detail.substr(from, to - from);
  }
  for (char& c : detail)
    if (c == '\n') c = ' ';
  return detail;
}

// Largest ratio of a dataset's size in memory to the bytes a file holds for it: deflate's limit
// (about 1032:1), plus room for small fill-valued datasets whose storage is not allocated.
constexpr hsize_t kMaxExpansion = 1032;
constexpr hsize_t kFillSlackBytes = hsize_t{64} << 20;

// Number of elements of the dataspace `space`, or -1.
hssize_t points_of(hid_t space) { return space >= 0 ? H5Sget_simple_extent_npoints(space) : -1; }

// True for the type classes a number can be read from.
bool numeric_class(hid_t type) {
  const H5T_class_t type_class = H5Tget_class(type);
  return type_class == H5T_INTEGER || type_class == H5T_FLOAT;
}

}  // namespace

void silence_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

void fail(const std::string& file, const std::string& object, const std::string& action) {
  const std::string detail = error_stack_detail();
  std::string message = file + ": " + object + ": cannot " + action;
  if (!detail.empty()) message += " (" + detail + ")";
  throw RunError(message);
}

Id& Id::operator=(Id&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = other.release();
  }
  return *this;
}

hid_t Id::release() { return std::exchange(id_, H5I_INVALID_HID); }

bool Id::reset() {
  if (id_ < 0) return true;
  const hid_t id = release();
  switch (H5Iget_type(id)) {
    case H5I_FILE:
      return H5Fclose(id) >= 0;
    case H5I_GROUP:
      return H5Gclose(id) >= 0;
    case H5I_DATASET:
      return H5Dclose(id) >= 0;
    case H5I_DATASPACE:
      return H5Sclose(id) >= 0;
    case H5I_DATATYPE:
      return H5Tclose(id) >= 0;
    case H5I_ATTR:
      return H5Aclose(id) >= 0;
    case H5I_GENPROP_LST:
      return H5Pclose(id) >= 0;
    default:
      return H5Idec_ref(id) >= 0;
  }
}

Id group_creation_plist() {
  Id gcpl(H5Pcreate(H5P_GROUP_CREATE));
  if (!gcpl.valid() || H5Pset_obj_track_times(gcpl.get(), 0) < 0 ||
      H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
      H5Pset_attr_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0) {
    fail("(hdf5)", "group creation properties", "set up");
  }
  return gcpl;
}

Id dataset_creation_plist() {
  Id dcpl(H5Pcreate(H5P_DATASET_CREATE));
  if (!dcpl.valid() || H5Pset_obj_track_times(dcpl.get(), 0) < 0 ||
      H5Pset_attr_creation_order(dcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0) {
    fail("(hdf5)", "dataset creation properties", "set up");
  }
  return dcpl;
}

Id utf8_string_type() {
  Id type(H5Tcopy(H5T_C_S1));
  if (!type.valid() || H5Tset_size(type.get(), H5T_VARIABLE) < 0 ||
      H5Tset_cset(type.get(), H5T_CSET_UTF8) < 0) {
    fail("(hdf5)", "string type", "set up");
  }
  return type;
}

Node::Node(Id id, std::string file, std::string path)
    : id_(std::move(id)), file_(std::move(file)), path_(std::move(path)) {}

std::string Node::child_path(const std::string& name) const {
  return path_ == "/" ? "/" + name : path_ + "/" + name;
}

void Node::fail(const std::string& action) const { h5::fail(file_, path_, action); }

void Node::close() {
  if (!id_.reset()) fail("close");
}

Node Node::create_group(const std::string& name) const {
  const Id gcpl = group_creation_plist();
  Id group(H5Gcreate2(id(), name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT));
  if (!group.valid()) h5::fail(file_, child_path(name), "create group");
  return Node(std::move(group), file_, child_path(name));
}

Node Node::open_group(const std::string& name) const {
  Id group(H5Gopen2(id(), name.c_str(), H5P_DEFAULT));
  if (!group.valid()) h5::fail(file_, child_path(name), "open group");
  return Node(std::move(group), file_, child_path(name));
}

Node Node::create_dataset(const std::string& name, hid_t type, const std::vector<hsize_t>& dims,
                          hid_t dcpl) const {
  Id space(dims.empty() ? H5Screate(H5S_SCALAR)
                        : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
  if (!space.valid()) h5::fail(file_, child_path(name), "create dataspace");
  Id dataset(H5Dcreate2(id(), name.c_str(), type, space.get(), H5P_DEFAULT, dcpl, H5P_DEFAULT));
  if (!dataset.valid()) h5::fail(file_, child_path(name), "create dataset");
  return Node(std::move(dataset), file_, child_path(name));
}

Node Node::open_dataset(const std::string& name) const {
  Id dataset(H5Dopen2(id(), name.c_str(), H5P_DEFAULT));
  if (!dataset.valid()) h5::fail(file_, child_path(name), "open dataset");
  return Node(std::move(dataset), file_, child_path(name));
}

bool Node::has_child(const std::string& name) const {
  const htri_t exists = H5Lexists(id(), name.c_str(), H5P_DEFAULT);
  if (exists < 0) fail("look up " + name);
  return exists > 0;
}

void Node::write_attr(const std::string& name, hid_t type, hid_t space, const void* data) const {
  if (has_attr(name) && H5Adelete(id(), name.c_str()) < 0) fail("replace attribute " + name);
  Id attr(H5Acreate2(id(), name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT));
  if (!attr.valid() || H5Awrite(attr.get(), type, data) < 0) fail("write attribute " + name);
  if (!attr.reset()) fail("close attribute " + name);
}

void Node::set_attr(const std::string& name, const std::string& value) const {
  const Id type = utf8_string_type();
  const Id space(H5Screate(H5S_SCALAR));
  const char* text = value.c_str();
  write_attr(name, type.get(), space.get(), &text);
}

void Node::set_attr(const std::string& name, std::int32_t value) const {
  const Id space(H5Screate(H5S_SCALAR));
  write_attr(name, H5T_NATIVE_INT32, space.get(), &value);
}

void Node::set_attr(const std::string& name, std::uint64_t value) const {
  const Id space(H5Screate(H5S_SCALAR));
  write_attr(name, H5T_NATIVE_UINT64, space.get(), &value);
}

void Node::set_attr(const std::string& name, const std::vector<std::int64_t>& values) const {
  const hsize_t n = values.size();
  const Id space(H5Screate_simple(1, &n, nullptr));
  write_attr(name, H5T_NATIVE_INT64, space.get(), values.data());
}

bool Node::has_attr(const std::string& name) const {
  const htri_t exists = H5Aexists(id(), name.c_str());
  if (exists < 0) fail("look up attribute " + name);
  return exists > 0;
}

std::string Node::string_attr(const std::string& name) const {
  const Id attr(H5Aopen(id(), name.c_str(), H5P_DEFAULT));
  if (!attr.valid()) fail("open attribute " + name);
  const Id type(H5Aget_type(attr.get()));
  const Id space(H5Aget_space(attr.get()));
  if (!type.valid() || H5Tget_class(type.get()) != H5T_STRING || points_of(space.get()) != 1) {
    fail("read attribute " + name + " as one string");
  }
  if (H5Tis_variable_str(type.get()) <= 0) {
    if (H5Tget_size(type.get()) > file_size()) fail("read attribute " + name + ": too long");
    std::string value(H5Tget_size(type.get()), '\0');
    if (H5Aread(attr.get(), type.get(), value.data()) < 0) fail("read attribute " + name);
    return value.substr(0, value.find('\0'));
  }
  char* text = nullptr;
  if (H5Aread(attr.get(), type.get(), &text) < 0) fail("read attribute " + name);
  std::string value = text != nullptr ? text : "";
  H5free_memory(text);
  return value;
}

std::int64_t Node::int_attr(const std::string& name) const {
  const Id attr(H5Aopen(id(), name.c_str(), H5P_DEFAULT));
  if (!attr.valid()) fail("open attribute " + name);
  const Id type(H5Aget_type(attr.get()));
  const Id space(H5Aget_space(attr.get()));
  if (!type.valid() || !numeric_class(type.get()) || points_of(space.get()) != 1)
    fail("read attribute " + name + " as one number");
  std::int64_t value = 0;
  if (H5Aread(attr.get(), H5T_NATIVE_INT64, &value) < 0) fail("read attribute " + name);
  return value;
}

void Node::write(hid_t mem_type, const void* data) const {
  if (H5Dwrite(id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) fail("write dataset");
}

int Node::rank() const {
  const Id space(H5Dget_space(id()));
  const int dims = space.valid() ? H5Sget_simple_extent_ndims(space.get()) : -1;
  if (dims < 0) fail("get the dataset rank");
  return dims;
}

hsize_t Node::file_size() const {
  const Id file(H5Iget_file_id(id()));
  hsize_t bytes = 0;
  if (!file.valid() || H5Fget_filesize(file.get(), &bytes) < 0) fail("get the file size");
  return bytes;
}

hsize_t Node::size() const {
  const Id space(H5Dget_space(id()));
  const hssize_t n = points_of(space.get());
  if (n < 0) fail("get the dataset size");
  const Id type(H5Dget_type(id()));
  const std::size_t element = type.valid() ? H5Tget_size(type.get()) : 0;
  if (element == 0) fail("get the dataset type");
  const hsize_t bytes = file_size();
  if (static_cast<hsize_t>(n) > (bytes * kMaxExpansion + kFillSlackBytes) / element) {
    throw RunError(file_ + ": " + path_ + ": declares " + std::to_string(n) +
                   " elements, more than a file of " + std::to_string(bytes) + " bytes holds");
  }
  return static_cast<hsize_t>(n);
}

void Node::require_numeric() const {
  const Id type(H5Dget_type(id()));
  if (!type.valid() || !numeric_class(type.get())) fail("read dataset as numbers");
}

template <typename T>
std::vector<T> Node::read_as(hid_t mem_type) const {
  std::vector<T> values(size());
  if (!values.empty() &&
      H5Dread(id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) {
    fail("read dataset");
  }
  return values;
}

std::vector<double> Node::read_doubles() const {
  require_numeric();
  return read_as<double>(H5T_NATIVE_DOUBLE);
}

std::vector<std::int64_t> Node::read_ints() const {
  require_numeric();
  return read_as<std::int64_t>(H5T_NATIVE_INT64);
}

std::vector<std::string> Node::read_strings() const {
  const Id type(H5Dget_type(id()));
  if (!type.valid() || H5Tget_class(type.get()) != H5T_STRING ||
      H5Tis_variable_str(type.get()) <= 0) {
    fail("read dataset as variable-length strings");
  }
  std::vector<char*> raw = read_as<char*>(type.get());
  std::vector<std::string> values;
  values.reserve(raw.size());
  for (char* text : raw) {
    values.emplace_back(text != nullptr ? text : "");
    H5free_memory(text);
  }
  return values;
}

Node open_file_readonly(const std::string& path) {
  silence_errors();
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw RunError(path + ": no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw RunError(path + ": not an HDF5 file");
  }
  const Id fapl(H5Pcreate(H5P_FILE_ACCESS));
  if (!fapl.valid() || H5Pset_file_locking(fapl.get(), true, true) < 0) {
    fail(path, "/", "set up file access properties");
  }
  Id file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get()));
  if (!file.valid()) fail(path, "/", "open file");
  return Node(std::move(file), path, "/");
}

}  // namespace marketsim::h5
