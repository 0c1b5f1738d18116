// The report of a marketsim results file: metric blocks from /summary or /series windows.
#include "analysis/report/summary_report.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <sstream>

#include "analysis/output/hdf5_node.h"
#include "analysis/report/experiment_report.h"
#include "analysis/report/report_table.h"
#include "sim/core/error.h"

namespace marketsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The default blocks: traffic and money, the market, and (when present) the models' quality.
const std::vector<std::vector<std::string>> kDefaultBlocks = {
    {"transactions", "impressions", "clicks", "ctr", "conversions", "spend", "revenue",
     "return_visits", "regret_unconstrained_per_oracle_request"},
    {"partner_revenue", "conversion_value", "roas"},
    {"ctr_auc", "ctr_normalized_entropy", "ctr_calibration_ratio_truth", "ctr_ece_truth", "cvr_auc",
     "cvr_calibration_ratio_truth"}};

// Ratios the report derives: name -> (numerator, denominator). From /summary only when the file
// has no such column; from /series always (the windows' sums, then the ratio).
const std::map<std::string, std::pair<std::string, std::string>> kRatios = {
    {"ctr", {"clicks", "impressions"}},
    {"roas", {"conversion_value", "spend"}},
    {"return_share", {"return_visits", "transactions"}},
    {"recall", {"recall_hits", "oracle_requests"}},
    {"regret_per_oracle_request", {"regret", "oracle_requests"}},
    {"regret_unconstrained_per_oracle_request", {"regret_unconstrained", "oracle_requests"}}};

// One metric's value per cell and replication index (NaN where undefined).
struct MetricValues {
  std::string name;
  std::string units;
  std::vector<std::map<std::int64_t, double>> by_cell;
};

// One row of the report: a cell's figures for one metric.
struct Row {
  std::string metric, units, cell;
  std::size_t replications = 0;
  Estimate level;
  std::size_t pairs = 0;
  Estimate difference;  // n = 0 for the baseline itself
};

void check_marketsim(const h5::Node& root) {
  if (!root.has_attr("format") || root.string_attr("format") != "marketsim")
    throw RunError(root.file() + ": not a marketsim results file (no format=\"marketsim\")");
  const std::int64_t version =
      root.has_attr("format_version") ? root.int_attr("format_version") : 0;
  if (version != 1)
    throw RunError(root.file() + ": unsupported marketsim format_version " +
                   std::to_string(version) + " (this build reads 1)");
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

// Reads metrics from /summary, one column per replication row.
class SummarySource {
 public:
  SummarySource(const h5::Node& root, std::size_t cells) : cells_(cells) {
    if (!root.has_child("summary")) root.fail("read /summary: the group is missing");
    group_ = root.open_group("summary");
    cell_ = column("cell").read_ints();
    replication_ = column("replication").read_ints();
    if (replication_.size() != cell_.size()) group_.fail("match column lengths");
    for (std::int64_t c : cell_)
      if (c < 0 || static_cast<std::size_t>(c) >= cells_)
        root.fail("read /summary: cell code " + std::to_string(c) + " is not in /cells");
  }

  bool has(const std::string& name) const {
    if (group_.has_child(name)) return true;
    const auto ratio = kRatios.find(name);
    return ratio != kRatios.end() && group_.has_child(ratio->second.first) &&
           group_.has_child(ratio->second.second);
  }

  MetricValues read(const std::string& name) const {
    MetricValues m{name, "", std::vector<std::map<std::int64_t, double>>(cells_)};
    std::vector<double> values;
    if (group_.has_child(name)) {
      const h5::Node c = column(name);
      values = c.read_doubles();
      if (c.has_attr("units")) m.units = c.string_attr("units");
    } else {
      const auto& [num, den] = kRatios.at(name);
      const std::vector<double> y = column(num).read_doubles(), x = column(den).read_doubles();
      if (x.size() != y.size()) group_.fail("match the lengths of " + num + " and " + den);
      if (column(num).has_attr("units") && !column(den).has_attr("units"))
        m.units = column(num).string_attr("units");
      for (std::size_t i = 0; i < y.size(); ++i) values.push_back(x[i] > 0 ? y[i] / x[i] : kNaN);
    }
    if (values.size() != cell_.size()) group_.fail("match the length of cell: " + name);
    for (std::size_t i = 0; i < values.size(); ++i)
      m.by_cell[static_cast<std::size_t>(cell_[i])][replication_[i]] = values[i];
    return m;
  }

 private:
  h5::Node column(const std::string& name) const {
    if (!group_.has_child(name)) group_.fail("find column " + name);
    h5::Node dataset = group_.open_dataset(name);
    if (dataset.rank() != 1) dataset.fail("read as a column (it is not 1-D)");
    return dataset;
  }

  std::size_t cells_;
  h5::Node group_;
  std::vector<std::int64_t> cell_, replication_;
};

// Reads metrics from /series/<cell>, summed over the windows ending in (from_h, to_h].
class SeriesSource {
 public:
  SeriesSource(const h5::Node& root, const std::vector<std::string>& cells, double from_h,
               double to_h)
      : cells_(cells), from_h_(from_h), to_h_(to_h) {
    for (const std::string& cell : cells)
      groups_.push_back(root.open_group("series").open_group(cell));
  }

  bool has(const std::string& name) const {
    if (groups_.front().has_child(name)) return true;
    const auto ratio = kRatios.find(name);
    return ratio != kRatios.end() && groups_.front().has_child(ratio->second.first) &&
           groups_.front().has_child(ratio->second.second);
  }

  MetricValues read(const std::string& name) const {
    MetricValues m{name, "", std::vector<std::map<std::int64_t, double>>(cells_.size())};
    const auto ratio = kRatios.find(name);
    for (std::size_t c = 0; c < groups_.size(); ++c) {
      const h5::Node& g = groups_[c];
      const std::vector<double> time = g.open_dataset("time").read_doubles();
      const std::vector<std::int64_t> done = g.open_dataset("completed").read_ints();
      const auto sums = [&](const std::string& variable) {
        const h5::Node d = g.open_dataset(variable);
        // A ratio has its numerator's units when its denominator has none (regret per request).
        const bool own = ratio == kRatios.end() || variable == ratio->second.first;
        if (c == 0 && own && d.has_attr("units") && m.units.empty() &&
            (ratio == kRatios.end() || !g.open_dataset(ratio->second.second).has_attr("units")))
          m.units = d.string_attr("units");
        const std::vector<double> v = d.read_doubles();
        if (v.size() != done.size() * time.size())
          d.fail("match the shape completed x time (" + std::to_string(done.size()) + " x " +
                 std::to_string(time.size()) + ")");
        std::vector<double> out(done.size(), 0.0);
        for (std::size_t r = 0; r < done.size(); ++r)
          for (std::size_t w = 0; w < time.size(); ++w)
            if (time[w] > from_h_ && time[w] <= to_h_) out[r] += v[r * time.size() + w];
        return out;
      };
      std::vector<double> values;
      if (ratio == kRatios.end()) {
        values = sums(name);
      } else {
        const std::vector<double> y = sums(ratio->second.first), x = sums(ratio->second.second);
        for (std::size_t r = 0; r < y.size(); ++r) values.push_back(x[r] > 0 ? y[r] / x[r] : kNaN);
      }
      for (std::size_t r = 0; r < values.size(); ++r)
        if (done[r] == 1) m.by_cell[c][static_cast<std::int64_t>(r)] = values[r];
    }
    return m;
  }

 private:
  std::vector<std::string> cells_;
  std::vector<h5::Node> groups_;
  double from_h_, to_h_;
};

std::vector<Row> rows_of(const MetricValues& m, const std::vector<std::string>& cells,
                         std::size_t baseline) {
  std::vector<Row> rows;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    Row row;
    row.metric = m.name;
    row.units = m.units;
    row.cell = cells[c];
    std::vector<double> values, differences;
    for (const auto& [replication, v] : m.by_cell[c]) {
      if (std::isfinite(v)) values.push_back(v);
      if (c == baseline) continue;
      const auto base = m.by_cell[baseline].find(replication);
      if (base == m.by_cell[baseline].end()) continue;
      if (std::isfinite(v - base->second)) differences.push_back(v - base->second);
    }
    row.replications = values.size();  // replications where the metric is defined
    row.pairs = differences.size();
    row.level = estimate(values);
    if (c != baseline) row.difference = estimate(differences);
    rows.push_back(row);
  }
  return rows;
}

bool excludes_zero(const Estimate& e) {
  return e.n >= 2 && std::isfinite(e.half_width) && std::abs(e.mean) > e.half_width;
}

std::string render_table(const std::vector<std::vector<Row>>& blocks, const std::string& base) {
  std::string out;
  for (const std::vector<Row>& block : blocks) {
    for (std::size_t i = 0; i < block.size();) {
      const Row& first = block[i];
      out += "\n" + first.metric + (first.units.empty() ? "" : " [" + first.units + "]") + "\n";
      std::vector<std::vector<std::string>> table = {{"  cell", "reps", "mean", "vs " + base, ""}};
      for (; i < block.size() && block[i].metric == first.metric; ++i) {
        const Row& r = block[i];
        table.push_back({"  " + r.cell, std::to_string(r.replications), format(r.level),
                         r.difference.n == 0 ? "" : format(r.difference),
                         excludes_zero(r.difference) ? "*" : ""});
      }
      out += render(table);
    }
  }
  return out;
}

// Full precision for machines.
std::string exact(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.12g", x);
  return buffer;
}

std::string csv_number(double x) { return std::isfinite(x) ? exact(x) : ""; }

std::string json_number(double x) { return std::isfinite(x) ? exact(x) : "null"; }

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

std::string render_rows(const std::vector<std::vector<Row>>& blocks, const std::string& base,
                        ReportFormat format) {
  std::string out = format == ReportFormat::kCsv
                        ? "cell,metric,units,replications,mean,half_width,baseline,pairs,"
                          "difference,difference_half_width,excludes_zero\n"
                        : "[\n";
  bool first = true;
  for (const std::vector<Row>& block : blocks)
    for (const Row& r : block) {
      const bool paired = r.difference.n > 0;
      if (format == ReportFormat::kCsv) {
        out += r.cell + "," + r.metric + "," + r.units + "," + std::to_string(r.replications) +
               "," + (r.level.n > 0 ? csv_number(r.level.mean) : "") + "," +
               csv_number(r.level.half_width) + "," + base + "," + std::to_string(r.pairs) + "," +
               (paired ? csv_number(r.difference.mean) : "") + "," +
               (paired ? csv_number(r.difference.half_width) : "") + "," +
               (excludes_zero(r.difference) ? "1" : "0") + "\n";
      } else {
        out += std::string(first ? "" : ",\n") + "  {\"cell\": " + json_string(r.cell) +
               ", \"metric\": " + json_string(r.metric) + ", \"units\": " + json_string(r.units) +
               ", \"replications\": " + std::to_string(r.replications) +
               ", \"mean\": " + (r.level.n > 0 ? json_number(r.level.mean) : "null") +
               ", \"half_width\": " + json_number(r.level.half_width) +
               ", \"baseline\": " + json_string(base) + ", \"pairs\": " + std::to_string(r.pairs) +
               ", \"difference\": " + (paired ? json_number(r.difference.mean) : "null") +
               ", \"difference_half_width\": " +
               (paired ? json_number(r.difference.half_width) : "null") +
               ", \"excludes_zero\": " + (excludes_zero(r.difference) ? "true" : "false") + "}";
        first = false;
      }
    }
  return format == ReportFormat::kCsv ? out : out + "\n]\n";
}

}  // namespace

std::string summary_report(const std::string& h5_path, const ReportOptions& options) {
  const h5::Node root = h5::open_file_readonly(h5_path);
  check_marketsim(root);
  const std::vector<std::string> cells =
      root.open_group("cells").open_dataset("name").read_strings();
  if (cells.empty()) root.fail("read /cells: no cells");
  const bool complete = root.has_attr("complete") && root.int_attr("complete") == 1;

  std::string baseline_name = options.baseline;
  if (baseline_name.empty() && root.has_attr("report_baseline"))
    baseline_name = root.string_attr("report_baseline");
  std::size_t baseline = 0;
  if (!baseline_name.empty()) {
    const auto it = std::find(cells.begin(), cells.end(), baseline_name);
    if (it == cells.end()) {
      std::string valid;
      for (const std::string& n : cells) valid += (valid.empty() ? "" : ", ") + n;
      throw UsageError("--baseline: no cell \"" + baseline_name + "\" in " + h5_path +
                       "; cells: " + valid);
    }
    baseline = static_cast<std::size_t>(it - cells.begin());
  }

  std::vector<std::vector<std::string>> blocks;
  std::vector<std::string> chosen = options.metrics;
  if (chosen.empty() && root.has_attr("report_metrics"))
    chosen = split(root.string_attr("report_metrics"));
  if (!chosen.empty()) {
    blocks = {chosen};
  } else {
    blocks = kDefaultBlocks;
  }
  const SummarySource summary(root, cells.size());
  std::optional<SeriesSource> series;
  if (options.windowed) series.emplace(root, cells, options.from_h, options.to_h);
  std::vector<std::vector<Row>> rows;
  for (const std::vector<std::string>& block : blocks) {
    std::vector<Row> block_rows;
    for (const std::string& metric : block) {
      const bool present = series ? series->has(metric) : summary.has(metric);
      if (!present && chosen.empty()) continue;  // a default metric the file lacks
      if (!present)
        throw UsageError("--metrics: " + h5_path + " has no " +
                         (series ? "time series of \"" : "/summary column \"") + metric + "\"");
      for (Row& r : rows_of(series ? series->read(metric) : summary.read(metric), cells, baseline))
        block_rows.push_back(std::move(r));
    }
    if (!block_rows.empty()) rows.push_back(std::move(block_rows));
  }
  if (options.format != ReportFormat::kTable)
    return render_rows(rows, cells[baseline], options.format);

  std::string out =
      "marketsim summary: " + h5_path + (complete ? "" : " (INCOMPLETE: interrupted run)") + "\n";
  if (series)
    out += "figures summed over the windows ending in (" + number(options.from_h) + ", " +
           number(options.to_h) + "] h\n";
  out += "mean ± 95% half-width (Student t) over replications\nvs " + cells[baseline] +
         ": paired difference (pairs by replication) ± 95% half-width\n* : the paired interval "
         "excludes 0\n";
  out += render_table(rows, cells[baseline]);
  return out + experiment_report(root, cells) + ope_report(root, cells);
}

}  // namespace marketsim
