// Private RAII layer over HDF5 C ids: owned ids, error messages, groups and datasets with
// attributes.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace marketsim::h5 {

// Turns off HDF5's automatic printing of its error stack; every failure becomes a RunError instead.
void silence_errors();

// Throws RunError "FILE: OBJECT: cannot ACTION (detail from the HDF5 error stack)".
[[noreturn]] void fail(const std::string& file, const std::string& object,
                       const std::string& action);

// An owned HDF5 id (file, group, dataset, dataspace, datatype, attribute or property list), closed
// with the matching H5*close on destruction. Move-only; an empty Id holds H5I_INVALID_HID.
class Id {
 public:
  Id() = default;
  explicit Id(hid_t id) : id_(id) {}
  ~Id() { reset(); }
  Id(Id&& other) noexcept : id_(other.release()) {}
  Id& operator=(Id&& other) noexcept;
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Gives up ownership without closing.
  hid_t release();
  // Closes the id (if any); returns false when HDF5 reported a failure.
  bool reset();

 private:
  hid_t id_ = H5I_INVALID_HID;
};

// Property lists used everywhere: no timestamps (identical runs give identical files) and tracked
// creation order (readers list columns in the order they were written).
Id group_creation_plist();
Id dataset_creation_plist();

// The file-wide type for strings: variable-length UTF-8, which h5py and xarray read as str.
Id utf8_string_type();

// An open group or dataset, with the file name and object path used in error messages.
class Node {
 public:
  Node() = default;
  Node(Id id, std::string file, std::string path);

  hid_t id() const { return id_.get(); }
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  // The path of child `name`, e.g. "/series/base" + "clicks" -> "/series/base/clicks".
  std::string child_path(const std::string& name) const;
  // Throws RunError naming this object.
  [[noreturn]] void fail(const std::string& action) const;
  // Closes the object, throwing RunError if HDF5 reports a failure.
  void close();

  Node create_group(const std::string& name) const;
  Node open_group(const std::string& name) const;
  // A dataset of `type` and shape `dims` (empty = scalar) created with creation plist `dcpl`.
  Node create_dataset(const std::string& name, hid_t type, const std::vector<hsize_t>& dims,
                      hid_t dcpl) const;
  Node open_dataset(const std::string& name) const;
  bool has_child(const std::string& name) const;

  // Scalar attributes; strings are variable-length UTF-8. Replaces an existing attribute.
  void set_attr(const std::string& name, const std::string& value) const;
  void set_attr(const std::string& name, std::int32_t value) const;
  void set_attr(const std::string& name, std::uint64_t value) const;
  // A 1-D int64 attribute (e.g. CF flag_values).
  void set_attr(const std::string& name, const std::vector<std::int64_t>& values) const;

  bool has_attr(const std::string& name) const;
  std::string string_attr(const std::string& name) const;
  std::int64_t int_attr(const std::string& name) const;

  // Whole-dataset writes and reads with conversion to/from the given memory type.
  void write(hid_t mem_type, const void* data) const;
  std::vector<double> read_doubles() const;
  std::vector<std::int64_t> read_ints() const;
  std::vector<std::string> read_strings() const;
  // Number of elements in this dataset. Throws RunError when it declares more than the file can
  // hold (so that a hostile file cannot make its reader allocate without bound).
  hsize_t size() const;
  // Number of dimensions of this dataset (0 for a scalar).
  int rank() const;
  // Size in bytes of the file this object is in.
  hsize_t file_size() const;

 private:
  void write_attr(const std::string& name, hid_t type, hid_t space, const void* data) const;
  void require_numeric() const;
  template <typename T>
  std::vector<T> read_as(hid_t mem_type) const;

  Id id_;
  std::string file_;
  std::string path_;
};

// Opens an existing HDF5 file read-only as its root group. Throws RunError when `path` does not
// exist, is not an HDF5 file, or cannot be opened.
Node open_file_readonly(const std::string& path);

}  // namespace marketsim::h5
