// The report of a marketsim results file: per-cell means with 95% intervals and paired differences.
#pragma once

#include <string>
#include <vector>

namespace marketsim {

// How the report is printed: aligned text blocks, or one row per (metric, cell) as CSV or JSON.
enum class ReportFormat { kTable, kCsv, kJson };

// What `marketsim report` shows.
struct ReportOptions {
  // The cell paired differences are taken against: "" means the file's report_baseline attribute
  // (the scenario's report.baseline), else the first cell.
  std::string baseline;
  // /summary columns (or roas = conversion_value / spend) to show; empty means the file's
  // report_metrics attribute, else the default blocks (traffic and money, market, models).
  std::vector<std::string> metrics;
  // With `windowed`, figures are summed over the /series windows ending in (from_h, to_h]
  // instead of read from /summary (only metrics with time series, and their ratios).
  bool windowed = false;
  double from_h = 0;
  double to_h = 0;
  ReportFormat format = ReportFormat::kTable;
};

// Reads the file at `h5_path`. For each metric and cell: completed replications, the mean over
// replications ± the 95% Student-t half-width, and the paired difference from the baseline cell
// (pairs matched by replication index) ± its 95% half-width, marked "*" when the interval
// excludes 0. As a table (one row group per metric, under 100 columns), followed by the file's
// A/B experiment and off-policy blocks; or as CSV or JSON with the fields cell, metric, units,
// replications, mean, half_width, baseline, pairs, difference, difference_half_width,
// excludes_zero. Undefined values (NaN) are skipped. Throws UsageError naming the option for an
// unknown cell or metric or a metric without time series under a window, and RunError with a
// one-line message when the file is missing or not a marketsim file.
std::string summary_report(const std::string& h5_path, const ReportOptions& options = {});

}  // namespace marketsim
