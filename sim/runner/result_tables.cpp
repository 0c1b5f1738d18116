#include "sim/runner/result_tables.h"

#include <algorithm>
#include <limits>

#include "sim/runner/experiment_arrays.h"
#include "sim/runner/ope_arrays.h"
#include "sim/runner/table_columns.h"
#include "sim/world/metrics.h"

namespace marketsim {
namespace {

constexpr const char* kSoftwareVersion = MARKETSIM_VERSION;

// A parameter's value as a /cells column holds it: numbers as they are, booleans as 0/1,
// strings and lists as their TOML text.
std::variant<double, std::int64_t, std::string> column_value(const ParamValue& value) {
  if (const auto* x = std::get_if<double>(&value)) return *x;
  if (const auto* x = std::get_if<std::int64_t>(&value)) return *x;
  if (const auto* x = std::get_if<bool>(&value)) return std::int64_t{*x ? 1 : 0};
  if (const auto* x = std::get_if<std::string>(&value)) return *x;
  return format_value(value);
}

}  // namespace

Provenance make_provenance(const Scenario& scenario) {
  Provenance p;
  p.software_version = kSoftwareVersion;
  p.scenario_path = scenario.path;
  p.scenario_text = scenario.text;
  p.resolved_text = resolved_toml(scenario, scenario_schema());
  p.overrides = scenario.overrides;
  p.seed = static_cast<std::uint64_t>(scenario.base.get_int("run.seed"));
  p.report_baseline = scenario.base.get_string("report.baseline");
  p.report_metrics = scenario.base.get_string("report.metrics");
  p.replications = static_cast<std::uint64_t>(scenario.base.get_int("run.replications"));
  return p;
}

std::vector<CellSeriesLayout> series_layouts(const Scenario& scenario,
                                             const std::vector<WorldSpec>& specs) {
  // Every key some cell sets, in the order first met.
  std::vector<std::string> keys;
  for (const CellSpec& cell : scenario.cells)
    for (const auto& [key, value] : cell.overrides)
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  std::vector<CellSeriesLayout> layouts;
  for (std::size_t c = 0; c < specs.size(); ++c) {
    const RunSpec& run = specs[c].run;
    layouts.push_back(
        CellSeriesLayout{scenario.cells[c].name,
                         static_cast<std::size_t>(run.replications),
                         window_ends_hours(std::max<SimTime>(1, hours_to_time(run.window_h)),
                                           hours_to_time(run.duration_h)),
                         "h",
                         series_variables(specs[c]),
                         {}});
    for (const std::string& key : keys)
      layouts.back().parameters.push_back(
          CellParameter{key, column_value(scenario.cells[c].values.get(key))});
  }
  return layouts;
}

ResultCollector::ResultCollector(const Scenario& scenario) {
  for (const CellSpec& cell : scenario.cells) cell_names_.push_back(cell.name);
}

ArrayGroup ResultCollector::experiment_arrays(std::size_t experiment,
                                              const std::vector<WorldSpec>& cells,
                                              std::size_t replications,
                                              const std::vector<double>& window_end) const {
  const std::size_t arms = cells.front().experiments[experiment].arms.size();
  ExperimentCaptures captures;
  captures.observed.assign(cells.size(),
                           std::vector<const ExperimentCapture*>(replications, nullptr));
  captures.counterfactual.assign(
      cells.size(), std::vector<std::vector<const ExperimentCapture*>>(
                        replications, std::vector<const ExperimentCapture*>(arms, nullptr)));
  for (const FinishedReplication& r : results_)
    captures.observed[r.cell][r.replication] = &r.experiments[experiment];
  for (const FinishedReplication& r : counterfactuals_)
    if (r.truth_experiment == static_cast<int>(experiment))
      captures.counterfactual[r.cell][r.replication][static_cast<std::size_t>(r.truth_arm)] =
          &r.experiments[experiment];
  std::vector<const ExperimentSpec*> specs;
  for (const WorldSpec& cell : cells) specs.push_back(&cell.experiments[experiment]);
  return marketsim::experiment_arrays(specs, cell_names_, window_end, captures);
}

void ResultCollector::add(FinishedReplication result) {
  (result.truth_experiment >= 0 ? counterfactuals_ : results_).push_back(std::move(result));
}

std::vector<const FinishedReplication*> ResultCollector::ordered() const {
  std::vector<const FinishedReplication*> out;
  for (const auto& r : results_) out.push_back(&r);
  std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
    return a->cell != b->cell ? a->cell < b->cell : a->replication < b->replication;
  });
  return out;
}

Table ResultCollector::summary_table() const {
  Column cell = int_column("cell", "", "cell (experimental condition)");
  cell.flag_meanings = cell_names_;
  Column replication = int_column("replication", "", "replication index (common random numbers)");
  std::vector<Column> metrics;
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    if (static_cast<Metric>(m) == Metric::kExplored) continue;
    const MetricInfo& mi = kMetricInfo[m];
    metrics.push_back(mi.is_count ? int_column(mi.name, mi.units, mi.long_name)
                                  : real_column(mi.name, mi.units, mi.long_name));
  }
  Column explore_share = real_column("explore_share", "", "fraction of transactions explored");
  // Ratios users compute every time (NaN where the denominator is 0).
  struct Derived {
    Column column;
    Metric numerator, denominator;
  };
  std::vector<Derived> derived = {
      {real_column("ctr", "", "clicks / impressions"), Metric::kClicks, Metric::kImpressions},
      {real_column("regret_per_oracle_request", "USD",
                   "regret / oracle_requests: mean regret of a request (cell's own budgets)"),
       Metric::kRegret, Metric::kOracleRequests},
      {real_column("regret_unconstrained_per_oracle_request", "USD",
                   "regret_unconstrained / oracle_requests: mean regret of a request against the "
                   "oracle without budgets (comparable across cells)"),
       Metric::kUnconstrainedRegret, Metric::kOracleRequests},
      {real_column("recall", "",
                   "recall_hits / oracle_requests: share of requests whose candidates held the "
                   "truly best eligible offer"),
       Metric::kRecallHits, Metric::kOracleRequests},
      {real_column("return_share", "", "return_visits / transactions"), Metric::kReturnVisits,
       Metric::kTransactions},
  };
  Column spend_share =
      real_column("spend_per_budget", "",
                  "spend / the advertisers' daily budgets summed over the days the run started");
  std::vector<const ModelCapture*> model_rows;
  for (const FinishedReplication* r : ordered()) model_rows.push_back(&r->models);
  Column events = int_column("events", "", "simulation events dispatched");
  for (const FinishedReplication* r : ordered()) {
    push(cell, static_cast<std::int64_t>(r->cell));
    push(replication, static_cast<std::int64_t>(r->replication));
    std::size_t column = 0;
    for (std::size_t m = 0; m < kMetricCount; ++m)
      if (static_cast<Metric>(m) != Metric::kExplored) {
        if (kMetricInfo[m].is_count) {
          push(metrics[column++], static_cast<std::int64_t>(r->totals[m]));
        } else {
          push(metrics[column++], r->totals[m]);
        }
      }
    const double transactions = r->totals[static_cast<std::size_t>(Metric::kTransactions)];
    const double explored = r->totals[static_cast<std::size_t>(Metric::kExplored)];
    push(explore_share, transactions > 0 ? explored / transactions : 0.0);
    const auto ratio = [&](Metric numerator, Metric denominator) {
      const double d = r->totals[static_cast<std::size_t>(denominator)];
      return d > 0 ? r->totals[static_cast<std::size_t>(numerator)] / d
                   : std::numeric_limits<double>::quiet_NaN();
    };
    for (Derived& d : derived) push(d.column, ratio(d.numerator, d.denominator));
    push(spend_share, r->budget > 0
                          ? r->totals[static_cast<std::size_t>(Metric::kSpend)] / r->budget
                          : std::numeric_limits<double>::quiet_NaN());
    push(events, static_cast<std::int64_t>(r->events));
  }
  Table table;
  table.columns.push_back(std::move(cell));
  table.columns.push_back(std::move(replication));
  for (auto& c : metrics) table.columns.push_back(std::move(c));
  table.columns.push_back(std::move(explore_share));
  for (Derived& d : derived) table.columns.push_back(std::move(d.column));
  table.columns.push_back(std::move(spend_share));
  for (Column& c : model_summary_columns(model_rows)) table.columns.push_back(std::move(c));
  table.columns.push_back(std::move(events));
  return table;
}

Table ResultCollector::timing_table() const {
  Column cell = int_column("cell", "", "cell (experimental condition)");
  cell.flag_meanings = cell_names_;
  Column replication = int_column("replication", "", "replication index");
  Column wall = real_column("wall_s", "s", "wall-clock time of the replication");
  Column rate = real_column("events_per_s", "s-1", "events dispatched per wall-clock second");
  for (const FinishedReplication* r : ordered()) {
    push(cell, static_cast<std::int64_t>(r->cell));
    push(replication, static_cast<std::int64_t>(r->replication));
    push(wall, r->wall_s);
    push(rate, r->wall_s > 0 ? static_cast<double>(r->events) / r->wall_s : 0.0);
  }
  return Table{{std::move(cell), std::move(replication), std::move(wall), std::move(rate)}};
}

Table ResultCollector::advertiser_table() const {
  Column cell = int_column("cell", "", "cell (experimental condition)");
  cell.flag_meanings = cell_names_;
  Column replication = int_column("replication", "", "replication index");
  Column advertiser = int_column("advertiser", "", "advertiser id");
  Column bid_type = int_column("bid_type", "", "how the advertiser pays");
  bid_type.flag_meanings = {"cpc", "cpa", "cpm"};
  Column budget = real_column("daily_budget", "USD", "daily budget");
  Column target = real_column("target_roas", "", "target return on ad spend");
  Column impressions = real_column("impressions", "", "impressions of its offers");
  Column clicks = real_column("clicks", "", "clicks on its offers");
  Column conversions = real_column("conversions", "", "conversions of its offers");
  Column spend = real_column("spend", "USD", "spend");
  Column value = real_column("conversion_value", "USD", "value of its conversions");
  Column roas = real_column("roas", "", "conversion_value / spend (NaN without spend)");
  for (const FinishedReplication* r : ordered()) {
    for (std::size_t a = 0; a < r->advertisers.size(); ++a) {
      const AdvertiserRow& row = r->advertisers[a];
      push(cell, static_cast<std::int64_t>(r->cell));
      push(replication, static_cast<std::int64_t>(r->replication));
      push(advertiser, static_cast<std::int64_t>(a));
      push(bid_type, row.bid_type);
      push(budget, row.daily_budget);
      push(target, row.target_roas);
      push(impressions, row.impressions);
      push(clicks, row.clicks);
      push(conversions, row.conversions);
      push(spend, row.spend);
      push(value, row.conversion_value);
      push(roas, row.spend > 0 ? row.conversion_value / row.spend
                               : std::numeric_limits<double>::quiet_NaN());
    }
  }
  return Table{{std::move(cell), std::move(replication), std::move(advertiser), std::move(bid_type),
                std::move(budget), std::move(target), std::move(impressions), std::move(clicks),
                std::move(conversions), std::move(spend), std::move(value), std::move(roas)}};
}

Table ResultCollector::latency_table() const {
  Column cell = int_column("cell", "", "cell (experimental condition)");
  cell.flag_meanings = cell_names_;
  Column stage = int_column("stage", "", "recommender stage");
  stage.flag_meanings.assign(kStageNames.begin(), kStageNames.end());
  Column samples = int_column("samples", "", "requests timed");
  Column p50 = real_column("p50", "s", "median wall time per request");
  Column p95 = real_column("p95", "s", "95th percentile of wall time per request");
  Column p99 = real_column("p99", "s", "99th percentile of wall time per request");
  for (std::size_t c = 0; c < cell_names_.size(); ++c) {
    LatencyRecorder merged;
    for (const auto& r : results_)
      if (r.cell == c) merged.merge(r.latency);
    for (std::size_t s = 0; s < kStageCount; ++s) {
      const auto st = static_cast<Stage>(s);
      push(cell, static_cast<std::int64_t>(c));
      push(stage, static_cast<std::int64_t>(s));
      push(samples, static_cast<std::int64_t>(merged.count(st)));
      push(p50, merged.quantile(st, 0.50));
      push(p95, merged.quantile(st, 0.95));
      push(p99, merged.quantile(st, 0.99));
    }
  }
  return Table{{std::move(cell), std::move(stage), std::move(samples), std::move(p50),
                std::move(p95), std::move(p99)}};
}

Table ResultCollector::alert_table() const {
  std::vector<const ModelCapture*> rows;
  std::vector<std::int64_t> cells, replications;
  for (const FinishedReplication* r : ordered()) {
    rows.push_back(&r->models);
    cells.push_back(static_cast<std::int64_t>(r->cell));
    replications.push_back(static_cast<std::int64_t>(r->replication));
  }
  return marketsim::alert_table(rows, cells, replications, cell_names_);
}

ArrayGroup ResultCollector::model_arrays(std::size_t cell, std::size_t replications,
                                         const std::vector<double>& window_end,
                                         double reliability_upper) const {
  std::vector<const ModelCapture*> by_replication(replications, nullptr);
  for (const auto& r : results_)
    if (r.cell == cell && r.replication < replications) by_replication[r.replication] = &r.models;
  return marketsim::model_arrays(by_replication, window_end, reliability_upper);
}

std::uint64_t ResultCollector::transactions() const {
  double total = 0;
  for (const auto& r : results_) total += r.totals[static_cast<std::size_t>(Metric::kTransactions)];
  return static_cast<std::uint64_t>(total);
}

}  // namespace marketsim
