// Plain-text summary of a marketsim results file: per-cell means with 95% confidence intervals.
#include "analysis/report/summary_report.h"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <vector>

#include "analysis/output/hdf5_node.h"
#include "sim/core/error.h"

namespace marketsim {
namespace {

// Metrics summed over a replication, in report order; "ctr" is derived from clicks/impressions.
const std::vector<std::string> kMetrics = {"transactions", "impressions", "clicks", "ctr",
                                           "conversions",  "spend",       "revenue"};
const std::vector<std::string> kPairedMetrics = {"revenue", "clicks"};
// Shown in both tables when the file has them (the long-run and oracle-based figures).
const std::vector<std::string> kOptionalMetrics = {"return_visits", "regret"};

// A table read from /summary: the cell and replication of each row and the metric columns.
struct SummaryRows {
  std::vector<std::int64_t> cell;
  std::vector<std::int64_t> replication;
  std::map<std::string, std::vector<double>> metric;
  std::map<std::string, std::string> units;
  std::vector<std::string> shown;   // metrics of the main table, in order
  std::vector<std::string> paired;  // metrics of the paired-difference table
};

// Mean of `values` with its 95% Student-t half-width (NaN when fewer than two values).
struct Estimate {
  std::size_t n = 0;
  double mean = 0.0;
  double half_width = std::nan("");
};

Estimate estimate(const std::vector<double>& values) {
  Estimate e;
  e.n = values.size();
  if (e.n == 0) return e;
  for (const double v : values) e.mean += v / static_cast<double>(e.n);
  if (e.n < 2) return e;
  double squares = 0.0;
  for (const double v : values) squares += (v - e.mean) * (v - e.mean);
  const double sd = std::sqrt(squares / static_cast<double>(e.n - 1));
  const boost::math::students_t t(static_cast<double>(e.n - 1));
  const double quantile = boost::math::quantile(boost::math::complement(t, 0.025));
  e.half_width = quantile * sd / std::sqrt(static_cast<double>(e.n));
  return e;
}

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

std::string format(const Estimate& e) {
  if (e.n == 0) return "-";
  if (e.n == 1) return number(e.mean);
  return number(e.mean) + " ± " + number(e.half_width);
}

// Display width of UTF-8 text (one column per code point).
std::size_t width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Renders rows as aligned columns: the first left-aligned, the others right-aligned.
std::string render(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string pad(widths[i] - width(row[i]), ' ');
      out += i == 0 ? row[i] + pad : "  " + pad + row[i];
    }
    out += '\n';
  }
  return out;
}

std::string header(const std::string& name, const SummaryRows& rows) {
  const auto units = rows.units.find(name);
  return units == rows.units.end() || units->second == "1" ? name
                                                           : name + " [" + units->second + "]";
}

void check_marketsim(const h5::Node& root) {
  if (!root.has_attr("format") || root.string_attr("format") != "marketsim") {
    throw RunError(root.file() + ": not a marketsim results file (no format=\"marketsim\")");
  }
  const std::int64_t version =
      root.has_attr("format_version") ? root.int_attr("format_version") : 0;
  if (version != 1) {
    throw RunError(root.file() + ": unsupported marketsim format_version " +
                   std::to_string(version) + " (this build reads 1)");
  }
}

SummaryRows read_summary(const h5::Node& root) {
  if (!root.has_child("summary")) root.fail("read /summary: the group is missing");
  const h5::Node group = root.open_group("summary");
  const auto require = [&](const std::string& name) {
    if (!group.has_child(name)) group.fail("find column " + name);
    return group.open_dataset(name);
  };
  SummaryRows rows;
  rows.cell = require("cell").read_ints();
  rows.replication = require("replication").read_ints();
  rows.shown = kMetrics;
  rows.paired = kPairedMetrics;
  for (const std::string& name : kOptionalMetrics) {
    if (!group.has_child(name)) continue;
    rows.shown.push_back(name);
    rows.paired.push_back(name);
  }
  for (const std::string& name : rows.shown) {
    if (name == "ctr") continue;
    const h5::Node column = require(name);
    rows.metric[name] = column.read_doubles();
    if (column.has_attr("units")) rows.units[name] = column.string_attr("units");
    if (rows.metric[name].size() != rows.cell.size()) column.fail("match the length of cell");
  }
  if (rows.replication.size() != rows.cell.size()) group.fail("match column lengths");
  return rows;
}

// Per cell: replication index -> row in SummaryRows.
std::vector<std::map<std::int64_t, std::size_t>> rows_by_cell(const h5::Node& root,
                                                              const SummaryRows& rows,
                                                              std::size_t cells) {
  std::vector<std::map<std::int64_t, std::size_t>> by_cell(cells);
  for (std::size_t i = 0; i < rows.cell.size(); ++i) {
    if (rows.cell[i] < 0 || static_cast<std::size_t>(rows.cell[i]) >= cells) {
      root.fail("read /summary: cell code " + std::to_string(rows.cell[i]) + " is not in /cells");
    }
    by_cell[rows.cell[i]][rows.replication[i]] = i;
  }
  return by_cell;
}

std::vector<double> metric_values(const SummaryRows& rows, const std::string& name,
                                  const std::map<std::int64_t, std::size_t>& replications) {
  std::vector<double> values;
  for (const auto& [replication, i] : replications) {
    if (name != "ctr") {
      values.push_back(rows.metric.at(name)[i]);
    } else if (rows.metric.at("impressions")[i] > 0) {
      values.push_back(rows.metric.at("clicks")[i] / rows.metric.at("impressions")[i]);
    }
  }
  return values;
}

}  // namespace

std::string summary_report(const std::string& h5_path) {
  const h5::Node root = h5::open_file_readonly(h5_path);
  check_marketsim(root);
  const std::vector<std::string> names =
      root.open_group("cells").open_dataset("name").read_strings();
  const SummaryRows rows = read_summary(root);
  const auto by_cell = rows_by_cell(root, rows, names.size());
  const bool complete = root.has_attr("complete") && root.int_attr("complete") == 1;

  std::string out = "marketsim summary: " + h5_path +
                    (complete ? "" : " (INCOMPLETE: interrupted run)") +
                    "\nmean ± 95% confidence half-width (Student t) over replications\n\n";
  std::vector<std::vector<std::string>> table = {{"cell", "reps"}};
  for (const std::string& metric : rows.shown) table[0].push_back(header(metric, rows));
  std::size_t max_replications = 0;
  for (std::size_t c = 0; c < names.size(); ++c) {
    max_replications = std::max(max_replications, by_cell[c].size());
    table.push_back({names[c], std::to_string(by_cell[c].size())});
    for (const std::string& metric : rows.shown) {
      table.back().push_back(format(estimate(metric_values(rows, metric, by_cell[c]))));
    }
  }
  out += render(table);
  if (names.size() < 2 || max_replications < 2) return out;

  out += "\npaired difference vs " + names[0] + " (pairs matched by replication index)\n\n";
  std::vector<std::vector<std::string>> paired = {{"cell", "pairs"}};
  for (const std::string& metric : rows.paired) paired[0].push_back(header(metric, rows));
  for (std::size_t c = 1; c < names.size(); ++c) {
    std::vector<std::vector<double>> differences(rows.paired.size());
    for (const auto& [replication, i] : by_cell[c]) {
      const auto base = by_cell[0].find(replication);
      if (base == by_cell[0].end()) continue;
      for (std::size_t m = 0; m < rows.paired.size(); ++m) {
        const std::vector<double>& column = rows.metric.at(rows.paired[m]);
        differences[m].push_back(column[i] - column[base->second]);
      }
    }
    paired.push_back({names[c], std::to_string(differences[0].size())});
    for (const auto& values : differences) paired.back().push_back(format(estimate(values)));
  }
  return out + render(paired);
}

}  // namespace marketsim
