// ResultsFile: builds FINAL.partial with the HDF5 C API, then closes, fsyncs and renames it.
#include "analysis/output/results_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <system_error>
#include <utility>

#include "analysis/output/array_group.h"
#include "analysis/output/hdf5_columns.h"
#include "analysis/output/hdf5_node.h"
#include "analysis/output/series_group.h"
#include "sim/core/error.h"

namespace marketsim {
namespace {

namespace fs = std::filesystem;

constexpr std::int32_t kFormatVersion = 1;
constexpr const char* kTimingNote =
    "wall-clock figures; not reproducible; excluded from determinism comparisons";

bool valid_cell_name(const std::string& name) {
  if (name.empty() || name == "." || name == "..") return false;
  for (const char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    std::strchr("_.=+-", c) != nullptr;
    if (!ok) return false;
  }
  return true;
}

void validate_cells(const std::string& file, const std::vector<CellSeriesLayout>& cells) {
  std::set<std::string> names;
  for (const CellSeriesLayout& cell : cells) {
    if (!valid_cell_name(cell.cell_name)) {
      throw RunError(file + ": invalid cell name \"" + cell.cell_name +
                     "\" (allowed: letters, digits and _.=+-)");
    }
    if (!names.insert(cell.cell_name).second) {
      throw RunError(file + ": duplicate cell name \"" + cell.cell_name + "\"");
    }
    const auto& first = cells.front().parameters;
    bool same = cell.parameters.size() == first.size();
    for (std::size_t k = 0; same && k < first.size(); ++k)
      same = cell.parameters[k].key == first[k].key &&
             cell.parameters[k].value.index() == first[k].value.index() &&
             !cell.parameters[k].key.empty() &&
             cell.parameters[k].key.find('/') == std::string::npos &&
             cell.parameters[k].key != "cell" && cell.parameters[k].key != "name" &&
             cell.parameters[k].key != "replications";
    if (!same)
      throw RunError(file + ": cell \"" + cell.cell_name +
                     "\" does not give the same parameter keys and types as the first cell");
  }
}

// Flushes `path` (a file or a directory) to stable storage.
void fsync_path(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) throw RunError(path.string() + ": cannot open for fsync: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int saved_errno = errno;
  ::close(fd);
  if (rc != 0) throw RunError(path.string() + ": fsync failed: " + std::strerror(saved_errno));
}

fs::path directory_of(const fs::path& path) {
  return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

// The file format of HDF5 1.10 (superblock version 3, version 2 object headers): its metadata
// carries checksums, so a corrupted file fails to read instead of crashing its reader.
h5::Node create_file(const std::string& path) {
  h5::silence_errors();
  const h5::Id fcpl(H5Pcreate(H5P_FILE_CREATE));
  const h5::Id fapl(H5Pcreate(H5P_FILE_ACCESS));
  if (!fcpl.valid() || !fapl.valid() || H5Pset_obj_track_times(fcpl.get(), 0) < 0 ||
      H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
      H5Pset_attr_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
      H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG) < 0 ||
      H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V110, H5F_LIBVER_V110) < 0 ||
      H5Pset_file_locking(fapl.get(), true, true) < 0) {
    h5::fail(path, "/", "set up file properties");
  }
  h5::Id file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()));
  if (!file.valid()) h5::fail(path, "/", "create file");
  return h5::Node(std::move(file), path, "/");
}

void write_root_attrs(const h5::Node& root, const Provenance& provenance) {
  root.set_attr("format", std::string("marketsim"));
  root.set_attr("format_version", kFormatVersion);
  root.set_attr("software_version", provenance.software_version);
  root.set_attr("scenario_path", provenance.scenario_path);
  root.set_attr("seed", provenance.seed);
  root.set_attr("replications", provenance.replications);
  root.set_attr("complete", std::int32_t{0});
  root.set_attr("report_baseline", provenance.report_baseline);
  root.set_attr("report_metrics", provenance.report_metrics);
}

void write_provenance(const h5::Node& root, const Provenance& provenance) {
  const h5::Node group = root.create_group("provenance");
  h5::set_cf_attrs(h5::write_string(group, "scenario_text", provenance.scenario_text), "",
                   "scenario file as read");
  h5::set_cf_attrs(h5::write_string(group, "resolved_text", provenance.resolved_text), "",
                   "resolved scenario (defaults and overrides applied)");
  const h5::Node index =
      h5::write_index_scale(group, "override", provenance.overrides.size(), "override index");
  h5::set_cf_attrs(h5::write_strings(group, "overrides", provenance.overrides, index), "",
                   "command-line overrides in the order given");
}

void write_cells(const h5::Node& root, const std::vector<CellSeriesLayout>& cells) {
  const h5::Node group = root.create_group("cells");
  const h5::Node cell = h5::write_index_scale(group, "cell", cells.size(), "cell code");
  std::vector<std::string> names;
  std::vector<std::int64_t> replications;
  for (const CellSeriesLayout& layout : cells) {
    names.push_back(layout.cell_name);
    replications.push_back(static_cast<std::int64_t>(layout.replications));
  }
  h5::set_flags(cell, names);
  h5::set_cf_attrs(h5::write_strings(group, "name", names, cell), "", "cell name");
  const h5::Id dcpl = h5::dataset_creation_plist();
  const h5::Node reps =
      group.create_dataset("replications", H5T_STD_I64LE, {cells.size()}, dcpl.get());
  if (!cells.empty()) reps.write(H5T_NATIVE_INT64, replications.data());
  h5::attach_scale(reps, cell, 0);
  h5::set_cf_attrs(reps, "", "replications planned for the cell");
  if (cells.empty()) return;
  for (std::size_t k = 0; k < cells.front().parameters.size(); ++k) {
    const CellParameter& first = cells.front().parameters[k];
    const std::string long_name = "value of " + first.key + " in the cell";
    if (std::holds_alternative<std::string>(first.value)) {
      std::vector<std::string> values;
      for (const CellSeriesLayout& c : cells)
        values.push_back(std::get<std::string>(c.parameters[k].value));
      h5::set_cf_attrs(h5::write_strings(group, first.key, values, cell), "", long_name);
      continue;
    }
    const bool is_double = std::holds_alternative<double>(first.value);
    const h5::Node column = group.create_dataset(
        first.key, is_double ? H5T_IEEE_F64LE : H5T_STD_I64LE, {cells.size()}, dcpl.get());
    if (is_double) {
      std::vector<double> values;
      for (const CellSeriesLayout& c : cells)
        values.push_back(std::get<double>(c.parameters[k].value));
      column.write(H5T_NATIVE_DOUBLE, values.data());
    } else {
      std::vector<std::int64_t> values;
      for (const CellSeriesLayout& c : cells)
        values.push_back(std::get<std::int64_t>(c.parameters[k].value));
      column.write(H5T_NATIVE_INT64, values.data());
    }
    h5::attach_scale(column, cell, 0);
    h5::set_cf_attrs(column, "", long_name);
  }
}

}  // namespace

struct ResultsFile::Impl {
  std::string final_path;
  std::string partial_path;
  h5::Node root;
  std::vector<h5::SeriesGroup> series;
  bool open = false;  // the HDF5 file is open
  bool done = false;  // finished or kept as partial: the destructor leaves the file alone

  // Writes both tables and the complete flag, then closes everything and fsyncs the file.
  void write_tables_and_close(const Table& summary, const Table& timing, bool complete);
  // Closes every object and the file; throws RunError if HDF5 reports a failure.
  void close();
  // Closes what is open, ignoring failures, and removes the partial file.
  void discard() noexcept;
};

void ResultsFile::Impl::write_tables_and_close(const Table& summary, const Table& timing,
                                               bool complete) {
  if (!open) throw RunError(partial_path + ": already finished");
  h5::validate_table(summary, partial_path, "/summary");
  h5::validate_table(timing, partial_path, "/timing");
  h5::write_table(root.open_group("summary"), summary);
  const h5::Node timing_group = root.open_group("timing");
  h5::write_table(timing_group, timing);
  timing_group.set_attr("note", std::string(kTimingNote));
  root.set_attr("complete", std::int32_t{complete ? 1 : 0});
  close();
}

void ResultsFile::Impl::close() {
  open = false;
  for (h5::SeriesGroup& group : series) group.close();
  series.clear();
  root.close();
}

void ResultsFile::Impl::discard() noexcept {
  try {
    if (open) close();
  } catch (...) {
    // Closing failed; the objects are released anyway and the file is removed below.
  }
  std::error_code ignored;
  fs::remove(partial_path, ignored);
}

ResultsFile::ResultsFile(std::string final_path, const Provenance& provenance,
                         std::vector<CellSeriesLayout> cells)
    : impl_(std::make_unique<Impl>()) {
  impl_->final_path = std::move(final_path);
  impl_->partial_path = impl_->final_path + ".partial";
  validate_cells(impl_->partial_path, cells);
  impl_->root = create_file(impl_->partial_path);
  impl_->open = true;
  try {
    write_root_attrs(impl_->root, provenance);
    write_provenance(impl_->root, provenance);
    write_cells(impl_->root, cells);
    const h5::Node series = impl_->root.create_group("series");
    impl_->series.reserve(cells.size());
    for (const CellSeriesLayout& layout : cells) impl_->series.emplace_back(series, layout);
    impl_->root.create_group("summary");
    impl_->root.create_group("timing");
    if (H5Fflush(impl_->root.id(), H5F_SCOPE_GLOBAL) < 0) impl_->root.fail("flush");
  } catch (...) {
    impl_->discard();
    throw;
  }
}

ResultsFile::~ResultsFile() {
  if (!impl_->done) impl_->discard();
}

void ResultsFile::write_series(std::size_t cell, std::size_t replication,
                               const std::vector<std::vector<double>>& values) {
  if (!impl_->open) throw RunError(impl_->partial_path + ": write_series after finish");
  if (cell >= impl_->series.size()) {
    throw RunError(impl_->partial_path + ": write_series: cell " + std::to_string(cell) +
                   " out of range (" + std::to_string(impl_->series.size()) + " cells)");
  }
  impl_->series[cell].write_row(replication, values);
  if (H5Fflush(impl_->root.id(), H5F_SCOPE_GLOBAL) < 0) impl_->root.fail("flush");
}

void ResultsFile::write_table(const std::string& group, const Table& table) {
  if (!impl_->open) throw RunError(impl_->partial_path + ": write_table after finish");
  h5::validate_table(table, impl_->partial_path, "/" + group);
  h5::write_table(impl_->root.create_group(group), table);
}

void ResultsFile::write_table(const std::string& group, const SlicedTable& table) {
  if (!impl_->open) throw RunError(impl_->partial_path + ": write_table after finish");
  h5::validate_columns(table.columns, impl_->partial_path, "/" + group);
  h5::write_table(impl_->root.create_group(group), table,
                  impl_->partial_path + ": /" + group + ": invalid table: ");
}

void ResultsFile::write_arrays(const std::string& group, const ArrayGroup& arrays) {
  if (!impl_->open) throw RunError(impl_->partial_path + ": write_arrays after finish");
  h5::validate_arrays(arrays, impl_->partial_path, group);
  const auto child = [](const h5::Node& parent, const std::string& name) {
    return parent.has_child(name) ? parent.open_group(name) : parent.create_group(name);
  };
  std::size_t slash = std::min(group.find('/'), group.size());
  h5::Node node = child(impl_->root, group.substr(0, slash));
  while (slash < group.size()) {
    const std::size_t start = slash + 1;
    slash = std::min(group.find('/', start), group.size());
    node = child(node, group.substr(start, slash - start));
  }
  h5::write_arrays(node, arrays);
}

void ResultsFile::finish(const Table& summary, const Table& timing, bool no_clobber) {
  impl_->write_tables_and_close(summary, timing, true);
  impl_->done = true;
  publish_file(impl_->partial_path, impl_->final_path, no_clobber);
}

std::string ResultsFile::finish_interrupted(const Table& summary, const Table& timing) {
  impl_->write_tables_and_close(summary, timing, false);
  impl_->done = true;
  fsync_path(impl_->partial_path, false);
  fsync_path(directory_of(impl_->partial_path), true);
  return impl_->partial_path;
}

void skip_hdf5_cleanup_at_exit() { H5dont_atexit(); }

void publish_file(const std::string& partial, const std::string& final_path, bool no_clobber) {
  fsync_path(partial, false);
  const unsigned flags = no_clobber ? RENAME_NOREPLACE : 0;
  if (::renameat2(AT_FDCWD, partial.c_str(), AT_FDCWD, final_path.c_str(), flags) != 0) {
    if (errno == EEXIST)
      throw RunError(final_path + ": exists and --no-clobber keeps it; the results are in " +
                     partial);
    throw RunError(partial + ": cannot rename to " + final_path + ": " + std::strerror(errno));
  }
  fsync_path(directory_of(final_path), true);
}

}  // namespace marketsim
