// TableReader: reads the columns of a marketsim results file's tables without HDF5 in sight.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace marketsim {

// Opens a marketsim results file read-only and reads whole 1-D columns of its groups
// ("impressions", "cells", ...). Errors are RunErrors naming the file and the object.
class TableReader {
 public:
  // Throws RunError when `path` is not a readable marketsim file of a supported format version.
  explicit TableReader(const std::string& path);
  ~TableReader();
  TableReader(const TableReader&) = delete;
  TableReader& operator=(const TableReader&) = delete;

  bool has_group(const std::string& group) const;
  bool has_column(const std::string& group, const std::string& column) const;
  std::vector<double> doubles(const std::string& group, const std::string& column) const;
  std::vector<std::int64_t> ints(const std::string& group, const std::string& column) const;
  std::vector<std::string> strings(const std::string& group, const std::string& column) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marketsim
