// Tests of ResultsFile (HDF5 layout, partial/rename protocol, determinism) and summary_report.
#include <hdf5.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analysis/output/hdf5_node.h"
#include "analysis/output/results_file.h"
#include "analysis/report/summary_report.h"
#include "sim/core/error.h"
#include "tests/temp_dir_test_support.h"

namespace marketsim {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kCells = 2;
constexpr std::size_t kReplications = 3;
const std::vector<double> kWindowEnd = {1.0, 2.0, 3.0, 4.0};

Provenance test_provenance() {
  return {"0.1.0-test",
          "scenarios/ab.toml",
          "seed = 7\n",
          "seed = 7\nreplications = 3\n",
          {"policy.epsilon=0.2", "name=ünïcode"},
          7,
          kReplications,
          "",
          ""};
}

std::vector<CellSeriesLayout> test_layout() {
  std::vector<CellSeriesLayout> cells;
  for (const char* name : {"base", "eps=0.2"}) {
    const bool base = std::string(name) == "base";
    cells.push_back({name,
                     kReplications,
                     kWindowEnd,
                     "h",
                     {{"clicks", "", "clicks in the window"}, {"revenue", "USD", "net revenue"}},
                     {{"recommender.explorer.type", std::string(base ? "greedy" : "epsilon")},
                      {"recommender.explorer.epsilon", base ? 0.05 : 0.2},
                      {"run.slots", std::int64_t{3}}}});
  }
  return cells;
}

// Deterministic series values of (cell, replication): variable v, window w.
std::vector<std::vector<double>> series_values(std::size_t cell, std::size_t replication) {
  std::vector<std::vector<double>> values(2, std::vector<double>(kWindowEnd.size()));
  for (std::size_t v = 0; v < 2; ++v) {
    for (std::size_t w = 0; w < kWindowEnd.size(); ++w) {
      values[v][w] = 100.0 * cell + 10.0 * replication + w + 0.5 * v;
    }
  }
  return values;
}

// A summary with one row per listed (cell, replication), in the order given.
Table summary_table(const std::vector<std::pair<std::int64_t, std::int64_t>>& rows) {
  std::vector<std::int64_t> cell, replication;
  std::map<std::string, std::vector<double>> metric;
  for (const auto& [c, r] : rows) {
    cell.push_back(c);
    replication.push_back(r);
    metric["transactions"].push_back(50.0 + r);
    metric["impressions"].push_back(200.0 + 10 * c + r);
    metric["clicks"].push_back(20.0 + 5 * c + r * (c + 1));
    metric["conversions"].push_back(2.0 + c);
    metric["spend"].push_back(30.0 + c + 0.25 * r);
    metric["revenue"].push_back(10.0 + 2 * c + r);
  }
  Table table;
  table.columns.push_back({"cell", "", "experimental cell", cell, {"base", "eps=0.2"}});
  table.columns.push_back({"replication", "", "replication index", replication, {}});
  for (const auto& [name, values] : metric) {
    table.columns.push_back(
        {name, name == "spend" || name == "revenue" ? "USD" : "", name, values, {}});
  }
  return table;
}

Table timing_table(std::size_t rows, double wall_s) {
  return {{{"wall_s", "s", "wall-clock seconds", std::vector<double>(rows, wall_s), {}}}};
}

using Order = std::vector<std::pair<std::size_t, std::size_t>>;

// Writes the given (cell, replication) series in order, then finishes with a full summary.
void write_complete(const std::string& path, const Order& order, double wall_s) {
  ResultsFile file(path, test_provenance(), test_layout());
  for (const auto& [c, r] : order) file.write_series(c, r, series_values(c, r));
  file.finish(summary_table({{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}}),
              timing_table(6, wall_s));
}

std::vector<double> read_doubles(const h5::Node& root, const std::string& group,
                                 const std::string& name) {
  return root.open_group(group).open_dataset(name).read_doubles();
}

bool python_check_passes(const std::string& path) {
  const std::string command =
      "/usr/bin/python3 " MARKETSIM_SOURCE_DIR "/tests/analysis/check_output.py '" + path + "'";
  return std::system(command.c_str()) == 0;
}

// herr_t callback for H5Ovisit: collects the paths of datasets.
herr_t collect_dataset(hid_t, const char* name, const H5O_info_t* info, void* out) {
  if (info->type == H5O_TYPE_DATASET) static_cast<std::vector<std::string>*>(out)->push_back(name);
  return 0;
}

// Every dataset outside /timing, read back as text (strings) or numbers (everything else).
std::map<std::string, std::string> dataset_contents(const std::string& path) {
  const h5::Node root = h5::open_file_readonly(path);
  std::vector<std::string> names;
  H5Ovisit(root.id(), H5_INDEX_NAME, H5_ITER_INC, collect_dataset, &names);
  std::map<std::string, std::string> contents;
  for (const std::string& name : names) {
    if (name.rfind("timing/", 0) == 0) continue;
    const h5::Node dataset = root.open_dataset(name);
    const h5::Id type(H5Dget_type(dataset.id()));
    std::string text;
    if (H5Tget_class(type.get()) == H5T_STRING) {
      for (const std::string& s : dataset.read_strings()) text += s + '\n';
    } else {
      for (const double v : dataset.read_doubles()) text += std::to_string(v) + ' ';
    }
    contents[name] = text;
  }
  return contents;
}

TEST_CASE("finish writes the documented layout and renames the partial file") {
  const test_support::TempDir dir("results");
  const std::string path = dir.file("out.h5");
  write_complete(path, {{1, 2}, {0, 1}, {1, 0}, {0, 2}, {1, 1}, {0, 0}}, 0.5);
  REQUIRE(fs::exists(path));
  REQUIRE_FALSE(fs::exists(path + ".partial"));

  const h5::Node root = h5::open_file_readonly(path);
  CHECK(root.string_attr("format") == "marketsim");
  CHECK(root.int_attr("format_version") == 1);
  CHECK(root.int_attr("complete") == 1);
  CHECK(root.int_attr("seed") == 7);
  CHECK(root.int_attr("replications") == 3);
  CHECK(root.string_attr("software_version") == "0.1.0-test");
  const h5::Node provenance = root.open_group("provenance");
  CHECK(provenance.open_dataset("overrides").read_strings()[1] == "name=ünïcode");

  const h5::Node cells = root.open_group("cells");
  CHECK(cells.open_dataset("name").read_strings() == std::vector<std::string>{"base", "eps=0.2"});
  CHECK(cells.open_dataset("cell").string_attr("flag_meanings") == "base eps=0.2");
  // One column per key some cell sets, with each cell's value.
  CHECK(cells.open_dataset("recommender.explorer.type").read_strings() ==
        std::vector<std::string>{"greedy", "epsilon"});
  CHECK(cells.open_dataset("recommender.explorer.epsilon").read_doubles() ==
        std::vector<double>{0.05, 0.2});
  CHECK(cells.open_dataset("run.slots").read_ints() == std::vector<std::int64_t>{3, 3});

  for (std::size_t c = 0; c < kCells; ++c) {
    const h5::Node group = root.open_group("series").open_group(test_layout()[c].cell_name);
    CHECK(group.open_dataset("time").read_doubles() == kWindowEnd);
    CHECK(group.open_dataset("time").string_attr("units") == "h");
    CHECK(group.open_dataset("revenue").string_attr("units") == "USD");
    CHECK(group.open_dataset("completed").read_ints() == std::vector<std::int64_t>{1, 1, 1});
    for (std::size_t v = 0; v < 2; ++v) {
      const std::vector<double> stored =
          group.open_dataset(v == 0 ? "clicks" : "revenue").read_doubles();
      for (std::size_t r = 0; r < kReplications; ++r) {
        for (std::size_t w = 0; w < kWindowEnd.size(); ++w) {
          REQUIRE(stored[r * kWindowEnd.size() + w] == series_values(c, r)[v][w]);
        }
      }
    }
  }

  const h5::Node summary = root.open_group("summary");
  CHECK(summary.open_dataset("row").read_ints().size() == 6);
  CHECK(summary.open_dataset("cell").string_attr("flag_meanings") == "base eps=0.2");
  CHECK(summary.open_dataset("spend").string_attr("units") == "USD");
  CHECK_FALSE(summary.open_dataset("clicks").has_attr("units"));
  CHECK(read_doubles(root, "summary", "revenue") == std::vector<double>{10, 11, 12, 12, 13, 14});
  CHECK(root.open_group("timing").string_attr("note").find("not reproducible") !=
        std::string::npos);
  CHECK(python_check_passes(path));
}

TEST_CASE("finish_interrupted keeps the partial file with unfinished rows NaN") {
  const test_support::TempDir dir("results");
  const std::string path = dir.file("out.h5");
  std::string kept;
  {
    ResultsFile file(path, test_provenance(), test_layout());
    file.write_series(0, 2, series_values(0, 2));
    file.write_series(1, 0, series_values(1, 0));
    kept = file.finish_interrupted(summary_table({{0, 2}, {1, 0}}), timing_table(2, 0.1));
  }
  CHECK(kept == path + ".partial");
  REQUIRE(fs::exists(kept));
  REQUIRE_FALSE(fs::exists(path));

  const h5::Node root = h5::open_file_readonly(kept);
  CHECK(root.int_attr("complete") == 0);
  const h5::Node base = root.open_group("series").open_group("base");
  CHECK(base.open_dataset("completed").read_ints() == std::vector<std::int64_t>{0, 0, 1});
  const std::vector<double> clicks = base.open_dataset("clicks").read_doubles();
  for (std::size_t i = 0; i < clicks.size(); ++i) {
    CHECK(std::isnan(clicks[i]) == (i < 2 * kWindowEnd.size()));
  }
  CHECK(read_doubles(root, "summary", "revenue").size() == 2);
  CHECK(python_check_passes(kept));
}

TEST_CASE("destroying an unfinished writer removes the partial file") {
  const test_support::TempDir dir("results");
  const std::string path = dir.file("out.h5");
  std::ofstream(path + ".partial") << "stale";
  {
    ResultsFile file(path, test_provenance(), test_layout());
    file.write_series(0, 0, series_values(0, 0));
    REQUIRE(fs::exists(path + ".partial"));
  }
  CHECK_FALSE(fs::exists(path + ".partial"));
  CHECK_FALSE(fs::exists(path));
}

TEST_CASE("the same writes in any replication order give identical contents") {
  const test_support::TempDir dir("results");
  write_complete(dir.file("a.h5"), {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}}, 1.0);
  write_complete(dir.file("b.h5"), {{1, 2}, {0, 2}, {1, 0}, {0, 0}, {0, 1}, {1, 1}}, 2.0);
  const auto a = dataset_contents(dir.file("a.h5"));
  CHECK(a.size() == 29);  // 26 datasets and the three /cells parameter columns
  CHECK(a == dataset_contents(dir.file("b.h5")));
}

TEST_CASE("misuse and I/O failures raise RunError naming the file") {
  const test_support::TempDir dir("results");
  const std::string path = dir.file("out.h5");
  CHECK_THROWS_AS(ResultsFile(dir.file("missing/out.h5"), test_provenance(), test_layout()),
                  RunError);
  std::vector<CellSeriesLayout> bad = test_layout();
  bad[1].cell_name = "has space";
  CHECK_THROWS_WITH(ResultsFile(path, test_provenance(), bad), Catch::Contains("has space"));
  CHECK_FALSE(fs::exists(path + ".partial"));

  ResultsFile file(path, test_provenance(), test_layout());
  CHECK_THROWS_WITH(file.write_series(0, 3, series_values(0, 0)), Catch::Contains("out.h5"));
  CHECK_THROWS_AS(file.write_series(2, 0, series_values(0, 0)), RunError);
  CHECK_THROWS_AS(file.write_series(0, 0, {{1.0}}), RunError);
  Table uneven = summary_table({{0, 0}});
  uneven.columns.back().data = std::vector<double>{1.0, 2.0};
  CHECK_THROWS_WITH(file.finish(uneven, timing_table(0, 0)), Catch::Contains("rows"));
  file.finish(summary_table({}), timing_table(0, 0));
  CHECK(fs::exists(path));
  CHECK_THROWS_AS(file.finish(summary_table({}), timing_table(0, 0)), RunError);
}

TEST_CASE("summary_report gives means, confidence intervals and paired differences") {
  const test_support::TempDir dir("results");
  const std::string path = dir.file("out.h5");
  write_complete(path, {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}}, 1.0);
  const std::string report = summary_report(path);
  INFO(report);
  CHECK(report.find("base") != std::string::npos);
  CHECK(report.find("revenue [USD]") != std::string::npos);
  // base revenue 10, 11, 12: mean 11, sd 1, t(0.975, 2) = 4.30265 -> half-width 2.48414,
  // printed to two significant digits with the mean to the same decimal place.
  CHECK(report.find("11.0 ± 2.5") != std::string::npos);
  CHECK(report.find("vs base: paired difference") != std::string::npos);
  // Revenue differences are exactly 2 in every replication: zero width, so it excludes 0.
  CHECK(report.find("2 ± 0  *") != std::string::npos);
}

TEST_CASE("summary_report chooses metrics, windows and machine-readable formats") {
  const test_support::TempDir dir("results");
  const std::string path = dir.file("out.h5");
  write_complete(path, {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}}, 1.0);
  ReportOptions csv;
  csv.metrics = {"revenue"};
  csv.format = ReportFormat::kCsv;
  const std::string table = summary_report(path, csv);
  INFO(table);
  CHECK(table.find("cell,metric,units,replications,mean,half_width,baseline,pairs,difference,"
                   "difference_half_width,excludes_zero\n") == 0);
  CHECK(table.find("eps=0.2,revenue,USD,3,13,2.48413771175,base,3,2,0,1\n") != std::string::npos);
  // Windows ending in (1, 3] h of /series: cell c, replication r, window w, variable v hold
  // 100 c + 10 r + w + 0.5 v, so clicks (v = 0) sum to 200 c + 20 r + 3 over windows 1 and 2.
  ReportOptions window;
  window.metrics = {"clicks"};
  window.windowed = true;
  window.from_h = 1.0;
  window.to_h = 3.0;
  window.format = ReportFormat::kJson;
  const std::string json = summary_report(path, window);
  INFO(json);
  CHECK(json.find("\"cell\": \"base\", \"metric\": \"clicks\", \"units\": \"\", "
                  "\"replications\": 3, \"mean\": 23,") != std::string::npos);
  CHECK(json.find("\"difference\": 200, \"difference_half_width\": 0") != std::string::npos);
  ReportOptions unknown;
  unknown.metrics = {"revenu"};
  CHECK_THROWS_WITH(summary_report(path, unknown),
                    Catch::Contains("--metrics: ") && Catch::Contains("has no /summary column "
                                                                      "\"revenu\""));
  ReportOptions baseline;
  baseline.baseline = "eps=0.2";
  CHECK(summary_report(path, baseline).find("vs eps=0.2: paired") != std::string::npos);
}

TEST_CASE("a table written a slice of rows at a time is the table written whole") {
  const test_support::TempDir dir("results");
  // 0 rows, a small table (one uncompressed write) and one of several slices of 4 chunks with a
  // partial last chunk.
  for (const std::size_t rows : {std::size_t{0}, std::size_t{100}, std::size_t{600001}}) {
    const auto value = [](std::size_t row) { return std::sqrt(static_cast<double>(row)) / 7; };
    Table whole{{Column{"kind", "", "row mod 3", std::vector<std::int64_t>(rows), {"a", "b", "c"}},
                 Column{"value", "USD", "a value", std::vector<double>(rows), {}}}};
    for (std::size_t row = 0; row < rows; ++row) {
      std::get<std::vector<std::int64_t>>(whole.columns[0].data)[row] =
          static_cast<std::int64_t>(row % 3);
      std::get<std::vector<double>>(whole.columns[1].data)[row] = value(row);
    }
    const auto columns = std::make_shared<Table>(whole);
    for (Column& column : columns->columns)
      std::visit([](auto& values) { values.clear(); }, column.data);
    std::vector<std::pair<std::size_t, std::size_t>> slices;
    const SlicedTable sliced{
        rows, {&columns->columns[0], &columns->columns[1]}, [&, columns](auto first, auto count) {
          slices.emplace_back(first, count);
          auto& kinds = std::get<std::vector<std::int64_t>>(columns->columns[0].data);
          auto& values = std::get<std::vector<double>>(columns->columns[1].data);
          kinds.resize(count);
          values.resize(count);
          for (std::size_t i = 0; i < count; ++i) {
            kinds[i] = static_cast<std::int64_t>((first + i) % 3);
            values[i] = value(first + i);
          }
        }};
    for (const auto& [name, table] : {std::pair{"whole.h5", 0}, std::pair{"sliced.h5", 1}}) {
      ResultsFile file(dir.file(name), test_provenance(), test_layout());
      if (table == 0) {
        file.write_table("logs", whole);
      } else {
        file.write_table("logs", sliced);
      }
      file.finish(summary_table({}), timing_table(0, 0));
    }
    INFO(rows << " rows");
    CHECK(dataset_contents(dir.file("sliced.h5")) == dataset_contents(dir.file("whole.h5")));
    // Consecutive slices from row 0, at most 4 chunks of 65,536 rows each.
    std::size_t next = 0;
    for (const auto& [first, count] : slices) {
      CHECK(first == next);
      CHECK(count <= 4 * 65536);
      next = first + count;
    }
    CHECK(next == rows);
    CHECK(slices.size() == (rows > 4 * 65536 ? 3u : rows > 0 ? 1u : 0u));
  }
}

TEST_CASE("a slice whose columns are not of its length is refused") {
  const test_support::TempDir dir("results");
  const auto column = std::make_shared<Column>(Column{"x", "", "", std::vector<double>{}, {}});
  const SlicedTable short_slice{10, {column.get()}, [column](std::size_t, std::size_t count) {
                                  std::get<std::vector<double>>(column->data).assign(count - 1, 0);
                                }};
  ResultsFile file(dir.file("out.h5"), test_provenance(), test_layout());
  CHECK_THROWS_WITH(file.write_table("logs", short_slice),
                    Catch::Contains("/logs: invalid table: column x has 9 rows in a slice of 10"));
}

TEST_CASE("summary_report rejects missing and foreign files with one line") {
  const test_support::TempDir dir("results");
  CHECK_THROWS_WITH(summary_report(dir.file("none.h5")), Catch::Contains("no such file"));
  std::ofstream(dir.file("text.h5")) << "not hdf5";
  CHECK_THROWS_WITH(summary_report(dir.file("text.h5")), Catch::Contains("not an HDF5 file"));
  const hid_t other =
      H5Fcreate(dir.file("other.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  H5Fclose(other);
  CHECK_THROWS_WITH(summary_report(dir.file("other.h5")),
                    Catch::Contains("not a marketsim results file"));
}

}  // namespace
}  // namespace marketsim
