// ResultsFile: the one writer of marketsim's HDF5 output (layout in docs/output.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace marketsim {

// One named column of a table. Integer columns with non-empty `flag_meanings` are categorical:
// code i means flag_meanings[i] (stored as CF flag_values/flag_meanings attributes).
struct Column {
  std::string name;
  std::string units;      // CF units, "" for none; time in "s" or "h"
  std::string long_name;  // one line
  std::variant<std::vector<double>, std::vector<std::int64_t>> data;
  std::vector<std::string> flag_meanings;
};

// Equal-length columns: one row per record.
struct Table {
  std::vector<Column> columns;
};

// A table written a slice of rows at a time, for tables too large to hold twice (the off-policy
// logs, whose records are in memory already): `fill(first, count)` sizes every column of
// `columns` (owned by the filler, their data empty until then) to `count` rows and sets them to
// rows [first, first + count) of the table. The writer calls it for consecutive slices from row
// 0 and writes each before the next, so only one slice of columns is in memory at a time.
// Rows of the slices a compressed SlicedTable is written in (4 chunks of 65,536 rows, 2 MiB per
// column): at most this many rows of its columns are in memory at once.
inline constexpr std::size_t kTableSliceRows = 4 * 65536;

struct SlicedTable {
  std::size_t rows = 0;
  std::vector<const Column*> columns;
  std::function<void(std::size_t first, std::size_t count)> fill;
};

// One dimension of an ArrayGroup with its coordinate: numbers (e.g. window end times, bin
// edges) or strings (e.g. feature names). Written as a netCDF dimension scale.
struct Dimension {
  std::string name;
  std::string units;
  std::string long_name;
  std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::string>> coordinate;

  std::size_t size() const;
};

// One float64 variable of an ArrayGroup over some of its dimensions, row-major (the last
// dimension varies fastest); NaN where nothing was measured.
struct ArrayVariable {
  std::string name;
  std::string units;
  std::string long_name;
  std::vector<std::size_t> dims;  // indices into ArrayGroup::dimensions
  std::vector<double> data;
};

// A self-contained netCDF-style group of labeled multi-dimensional arrays, such as the model
// metrics of one cell (dimensions replication, time, bin, ...).
struct ArrayGroup {
  std::vector<Dimension> dimensions;
  std::vector<ArrayVariable> variables;
};

// Description of one time-series variable.
struct SeriesVariable {
  std::string name;
  std::string units;
  std::string long_name;
};

// The value one cell gives a key that some cell of the run sets ([[cells]], [sweep]): written as a
// column of /cells named by the key, so that cells are identified by their parameters.
struct CellParameter {
  std::string key;  // e.g. "recommender.explorer.type"
  std::variant<double, std::int64_t, std::string> value;
};

// The shape of one cell's time series: replications x windows, for each variable.
struct CellSeriesLayout {
  std::string cell_name;  // [A-Za-z0-9_.=+-]+, used as the group name under /series
  std::size_t replications = 0;
  std::vector<double> window_end;  // time coordinate, one value per window
  std::string time_units;          // "h" or "s"
  std::vector<SeriesVariable> variables;
  std::vector<CellParameter> parameters;  // the same keys, of the same types, in every cell
};

// Provenance written at the root and under /provenance.
struct Provenance {
  std::string software_version;
  std::string scenario_path;
  std::string scenario_text;  // the file as read
  std::string resolved_text;  // the resolved scenario (defaults and overrides applied)
  std::vector<std::string> overrides;
  std::uint64_t seed = 0;
  std::uint64_t replications = 0;
  std::string report_baseline;  // the scenario's report.baseline ("" for the first cell)
  std::string report_metrics;   // the scenario's report.metrics, comma-separated ("": defaults)
};

// Writes one run's output. The file is built as FINAL.partial; finish() closes, fsyncs and renames
// it to FINAL, so FINAL never holds half a file. Replications are flushed as they finish, so an
// interrupted run keeps them in FINAL.partial (finish_interrupted). Destroying the writer without
// finishing removes the partial file. All HDF5 calls happen on the thread that owns the writer.
class ResultsFile {
 public:
  // Creates FINAL.partial (replacing a stale one), writes root attributes, /provenance, /cells and
  // NaN-filled /series/<cell> datasets. Throws RunError on I/O failure.
  ResultsFile(std::string final_path, const Provenance& provenance,
              std::vector<CellSeriesLayout> cells);
  ~ResultsFile();
  ResultsFile(const ResultsFile&) = delete;
  ResultsFile& operator=(const ResultsFile&) = delete;

  // Writes replication `replication` of cell `cell`: values[v][w] for variable v, window w, in
  // the order of the layout's variables. Marks it completed and flushes the file.
  void write_series(std::size_t cell, std::size_t replication,
                    const std::vector<std::vector<double>>& values);

  // Writes an extra table as the root group `group` (e.g. "advertisers"), with the same column
  // mechanism as /summary. Call before finish(); each group name once.
  void write_table(const std::string& group, const Table& table);
  // The same for a table filled a slice of rows at a time.
  void write_table(const std::string& group, const SlicedTable& table);

  // Writes `group` as a path of groups (e.g. "models/greedy") holding the dimensions and
  // variables of `arrays`. Call before finish(); each path once. Throws RunError on bad names or
  // shapes.
  void write_arrays(const std::string& group, const ArrayGroup& arrays);

  // Writes /summary and /timing, sets the root attribute complete=1, closes, fsyncs and renames
  // FINAL.partial to FINAL (see publish_file; with `no_clobber` an existing FINAL is kept and
  // the finished file stays FINAL.partial).
  void finish(const Table& summary, const Table& timing, bool no_clobber = false);

  // Writes what finished (summary rows of completed replications only), sets complete=0 and
  // leaves the file as FINAL.partial. Returns that path.
  std::string finish_interrupted(const Table& summary, const Table& timing);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Keeps the HDF5 library from closing, at process exit, what is still open: after a close that
// failed (a full disk) its exit handler crashes on the half-closed file. Files written are closed
// explicitly before exit anyway. Call first in main, before any other HDF5 call.
void skip_hdf5_cleanup_at_exit();

// Puts the closed file `partial` in place as `final_path`: fsyncs it, renames it (atomically
// replacing an existing file, or with `no_clobber` refusing to: RunError naming both) and fsyncs
// the directory. Throws RunError on failure; `partial` is then left as it was.
void publish_file(const std::string& partial, const std::string& final_path, bool no_clobber);

}  // namespace marketsim
