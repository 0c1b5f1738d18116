// Plain-text summary of a marketsim results file: per-cell means with 95% confidence intervals.
#include "analysis/report/summary_report.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <vector>

#include "analysis/output/hdf5_node.h"
#include "analysis/report/experiment_report.h"
#include "analysis/report/report_table.h"
#include "sim/core/error.h"

namespace marketsim {
namespace {

// Metrics summed over a replication, in report order; "ctr" is derived from clicks/impressions.
const std::vector<std::string> kMetrics = {"transactions", "impressions", "clicks", "ctr",
                                           "conversions",  "spend",       "revenue"};
const std::vector<std::string> kPairedMetrics = {"revenue", "clicks"};
// Shown in both tables when the file has them (the long-run and oracle-based figures).
const std::vector<std::string> kOptionalMetrics = {"return_visits", "regret_unconstrained"};
// The market block: who gains what ("roas" is derived from conversion_value / spend).
const std::vector<std::string> kMarketMetrics = {"partner_revenue", "conversion_value", "roas"};
// The model block, when the file has the model figures (whole-run, per replication).
const std::vector<std::string> kModelMetrics = {
    "ctr_auc", "ctr_normalized_entropy",     "ctr_calibration_ratio_truth", "ctr_ece_truth",
    "cvr_auc", "cvr_calibration_ratio_truth"};

// Derived per-replication figures: name -> (numerator, denominator).
const std::map<std::string, std::pair<std::string, std::string>> kRatios = {
    {"ctr", {"clicks", "impressions"}}, {"roas", {"conversion_value", "spend"}}};

// A table read from /summary: the cell and replication of each row and the metric columns.
struct SummaryRows {
  std::vector<std::int64_t> cell;
  std::vector<std::int64_t> replication;
  std::map<std::string, std::vector<double>> metric;
  std::map<std::string, std::string> units;
};

// One block of the report: per-cell means of `shown`, then paired differences of `paired`.
struct Block {
  std::string title;
  std::vector<std::string> shown;
  std::vector<std::string> paired;
};

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

// Reads the columns of every block (blocks whose columns are missing are dropped).
SummaryRows read_summary(const h5::Node& root, std::vector<Block>& blocks) {
  if (!root.has_child("summary")) root.fail("read /summary: the group is missing");
  const h5::Node group = root.open_group("summary");
  const auto require = [&](const std::string& name) {
    if (!group.has_child(name)) group.fail("find column " + name);
    return group.open_dataset(name);
  };
  SummaryRows rows;
  rows.cell = require("cell").read_ints();
  rows.replication = require("replication").read_ints();
  const auto has = [&](const std::string& name) {
    const auto ratio = kRatios.find(name);
    return ratio == kRatios.end()
               ? group.has_child(name)
               : group.has_child(ratio->second.first) && group.has_child(ratio->second.second);
  };
  Block main{"", kMetrics, kPairedMetrics};
  for (const std::string& name : kOptionalMetrics) {
    if (!group.has_child(name)) continue;
    main.shown.push_back(name);
    main.paired.push_back(name);
  }
  blocks = {main};
  for (Block block : {Block{"market", kMarketMetrics, kMarketMetrics},
                      Block{"models (whole run)", kModelMetrics, kModelMetrics}})
    if (std::all_of(block.shown.begin(), block.shown.end(), has)) blocks.push_back(block);
  const auto read = [&](const std::string& name) {
    if (rows.metric.count(name) != 0) return;
    const h5::Node column = require(name);
    rows.metric[name] = column.read_doubles();
    if (column.has_attr("units")) rows.units[name] = column.string_attr("units");
    if (rows.metric[name].size() != rows.cell.size()) column.fail("match the length of cell");
  };
  for (const Block& block : blocks)
    for (const std::string& name : block.shown) {
      const auto ratio = kRatios.find(name);
      if (ratio == kRatios.end()) {
        read(name);
      } else {
        read(ratio->second.first);
        read(ratio->second.second);
      }
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

// The value of `name` in row i (NaN for a ratio with a zero denominator).
double value_of(const SummaryRows& rows, const std::string& name, std::size_t i) {
  const auto ratio = kRatios.find(name);
  if (ratio == kRatios.end()) return rows.metric.at(name)[i];
  const double denominator = rows.metric.at(ratio->second.second)[i];
  return denominator > 0 ? rows.metric.at(ratio->second.first)[i] / denominator : std::nan("");
}

// The finite values of `name` over the rows of one cell.
std::vector<double> metric_values(const SummaryRows& rows, const std::string& name,
                                  const std::map<std::int64_t, std::size_t>& replications) {
  std::vector<double> values;
  for (const auto& [replication, i] : replications) {
    const double v = value_of(rows, name, i);
    if (std::isfinite(v)) values.push_back(v);
  }
  return values;
}

std::string render_block(const Block& block, const std::vector<std::string>& names,
                         std::size_t baseline, const SummaryRows& rows,
                         const std::vector<std::map<std::int64_t, std::size_t>>& by_cell) {
  std::string out = block.title.empty() ? "" : "\n" + block.title + "\n\n";
  std::vector<std::vector<std::string>> table = {{"cell", "reps"}};
  for (const std::string& metric : block.shown) table[0].push_back(header(metric, rows));
  std::size_t max_replications = 0;
  for (std::size_t c = 0; c < names.size(); ++c) {
    max_replications = std::max(max_replications, by_cell[c].size());
    table.push_back({names[c], std::to_string(by_cell[c].size())});
    for (const std::string& metric : block.shown)
      table.back().push_back(format(estimate(metric_values(rows, metric, by_cell[c]))));
  }
  out += render(table);
  if (names.size() < 2 || max_replications < 2) return out;

  out += "\npaired difference vs " + names[baseline] + " (pairs matched by replication index)\n\n";
  std::vector<std::vector<std::string>> paired = {{"cell", "pairs"}};
  for (const std::string& metric : block.paired) paired[0].push_back(header(metric, rows));
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (c == baseline) continue;
    std::vector<std::vector<double>> differences(block.paired.size());
    std::size_t pairs = 0;
    for (const auto& [replication, i] : by_cell[c]) {
      const auto base = by_cell[baseline].find(replication);
      if (base == by_cell[baseline].end()) continue;
      ++pairs;
      for (std::size_t m = 0; m < block.paired.size(); ++m) {
        const double d =
            value_of(rows, block.paired[m], i) - value_of(rows, block.paired[m], base->second);
        if (std::isfinite(d)) differences[m].push_back(d);
      }
    }
    paired.push_back({names[c], std::to_string(pairs)});
    for (const auto& values : differences) paired.back().push_back(format(estimate(values)));
  }
  return out + render(paired);
}

}  // namespace

std::string summary_report(const std::string& h5_path, const std::string& baseline_name) {
  const h5::Node root = h5::open_file_readonly(h5_path);
  check_marketsim(root);
  const std::vector<std::string> names =
      root.open_group("cells").open_dataset("name").read_strings();
  std::vector<Block> blocks;
  const SummaryRows rows = read_summary(root, blocks);
  const auto by_cell = rows_by_cell(root, rows, names.size());
  const bool complete = root.has_attr("complete") && root.int_attr("complete") == 1;
  std::size_t baseline = 0;
  if (!baseline_name.empty()) {
    const auto it = std::find(names.begin(), names.end(), baseline_name);
    if (it == names.end()) {
      std::string valid;
      for (const std::string& n : names) valid += (valid.empty() ? "" : ", ") + n;
      throw UsageError("--baseline: no cell \"" + baseline_name + "\" in " + h5_path +
                       "; cells: " + valid);
    }
    baseline = static_cast<std::size_t>(it - names.begin());
  }

  std::string out = "marketsim summary: " + h5_path +
                    (complete ? "" : " (INCOMPLETE: interrupted run)") +
                    "\nmean ± 95% confidence half-width (Student t) over replications\n\n";
  for (const Block& block : blocks) out += render_block(block, names, baseline, rows, by_cell);
  return out + experiment_report(root, names) + ope_report(root, names);
}

}  // namespace marketsim
