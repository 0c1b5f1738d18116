#include "sim/runner/result_tables.h"

#include <algorithm>
#include <limits>

#include "sim/runner/experiment_arrays.h"
#include "sim/runner/ope_arrays.h"
#include "sim/world/metrics.h"

namespace marketsim {
namespace {

constexpr const char* kSoftwareVersion = MARKETSIM_VERSION;

Column real_column(std::string name, std::string units, std::string long_name) {
  return Column{std::move(name), std::move(units), std::move(long_name), std::vector<double>{}, {}};
}

Column int_column(const char* name, const char* units, const char* long_name) {
  return Column{name, units, long_name, std::vector<std::int64_t>{}, {}};
}

void push(Column& column, double value) {
  std::get<std::vector<double>>(column.data).push_back(value);
}

void push(Column& column, std::int64_t value) {
  std::get<std::vector<std::int64_t>>(column.data).push_back(value);
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
  p.replications = static_cast<std::uint64_t>(scenario.base.get_int("run.replications"));
  return p;
}

std::vector<CellSeriesLayout> series_layouts(const Scenario& scenario,
                                             const std::vector<WorldSpec>& specs) {
  std::vector<CellSeriesLayout> layouts;
  for (std::size_t c = 0; c < specs.size(); ++c) {
    const RunSpec& run = specs[c].run;
    layouts.push_back(
        CellSeriesLayout{scenario.cells[c].name, static_cast<std::size_t>(run.replications),
                         window_ends_hours(std::max<SimTime>(1, hours_to_time(run.window_h)),
                                           hours_to_time(run.duration_h)),
                         "h", series_variables(specs[c])});
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
    push(events, static_cast<std::int64_t>(r->events));
  }
  Table table;
  table.columns.push_back(std::move(cell));
  table.columns.push_back(std::move(replication));
  for (auto& c : metrics) table.columns.push_back(std::move(c));
  table.columns.push_back(std::move(explore_share));
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

Table ResultCollector::impression_table() const {
  Column cell = int_column("cell", "", "cell (experimental condition)");
  cell.flag_meanings = cell_names_;
  Column replication = int_column("replication", "", "replication index");
  Column transaction = int_column("transaction", "", "transaction id (the same in every cell)");
  Column time = real_column("time", "h", "simulated time of the request");
  Column partner = int_column("partner", "", "partner id");
  Column user = int_column("user", "", "user id");
  Column device = int_column("device", "", "user's device");
  device.flag_meanings = {"android", "ios", "desktop"};
  Column region = int_column("region", "", "user's region");
  Column age_band = int_column("age_band", "", "user's age band");
  Column returning = int_column("returning", "", "1 for a returning user");
  Column vertical = int_column("vertical", "", "partner's vertical");
  vertical.flag_meanings.assign(kVerticalNames.begin(), kVerticalNames.end());
  Column cart = int_column("cart_category", "", "category of the purchase");
  Column slot = int_column("slot", "", "slot, 0 = top");
  Column offer = int_column("offer", "", "offer (catalog entry) id");
  Column advertiser = int_column("advertiser", "", "advertiser id, -1 for a partner's own offer");
  Column bid_type = int_column("bid_type", "", "how the offer pays");
  bid_type.flag_meanings = {"cpc", "cpa", "cpm", "first_party"};
  Column score = real_column("score", "USD", "ranking objective value of the impression");
  Column pctr = real_column("pctr", "", "predicted click probability (reference slot)");
  Column price = real_column("price_per_click", "USD", "auction price per click equivalent");
  Column runner_up = int_column("runner_up", "", "offer id of the runner-up, -1 when none");
  Column propensity = real_column("propensity", "", "probability of the shown slate");
  Column estimated = int_column("propensity_estimated", "", "1 when the propensity is estimated");
  Column explored = int_column("explored", "", "1 when the slate departs from the greedy one");
  Column slot_propensity =
      real_column("slot_propensity", "", "logging policy's P(this offer in this slot)");
  Column predicted_click =
      real_column("predicted_click", "", "the click model's prediction at this slot");
  Column predicted_value =
      real_column("predicted_value", "USD", "predicted_click x pCVR x value per conversion");
  Column truth = real_column("true_click_probability", "",
                             "hidden truth: P(click) in that slot (for evaluation only)");
  Column true_value =
      real_column("true_value", "USD",
                  "hidden truth: P(click) x P(conversion in window) x value per conversion");
  Column clicked = int_column("clicked", "", "1 when clicked");
  Column conversion_value = real_column(
      "conversion_value", "USD", "value of a conversion within the attribution window, else 0");
  for (const FinishedReplication* r : ordered()) {
    for (const ImpressionRecord& i : r->impressions) {
      push(cell, static_cast<std::int64_t>(r->cell));
      push(replication, static_cast<std::int64_t>(r->replication));
      push(transaction, static_cast<std::int64_t>(i.transaction));
      push(time, time_to_hours(i.time));
      push(partner, std::int64_t{i.partner});
      push(user, std::int64_t{i.user});
      push(device, std::int64_t{i.context.device});
      push(region, std::int64_t{i.context.region});
      push(age_band, std::int64_t{i.context.age_band});
      push(returning, std::int64_t{i.context.returning});
      push(vertical, std::int64_t{i.context.vertical});
      push(cart, std::int64_t{i.context.cart_category});
      push(slot, std::int64_t{i.slot});
      push(offer, std::int64_t{i.offer});
      push(advertiser, i.advertiser);
      push(bid_type, std::int64_t{i.bid_type});
      push(score, i.score);
      push(pctr, i.pctr);
      push(price, i.price_per_click);
      push(runner_up, i.runner_up);
      push(propensity, i.propensity);
      push(estimated, std::int64_t{i.propensity_estimated});
      push(explored, std::int64_t{i.explored});
      push(slot_propensity, i.slot_propensity);
      push(predicted_click, i.predicted_click);
      push(predicted_value, i.predicted_value);
      push(truth, i.true_click_probability);
      push(true_value, i.true_value);
      push(clicked, std::int64_t{i.clicked});
      push(conversion_value, i.conversion_value);
    }
  }
  Table table;
  for (Column* c : {&cell,
                    &replication,
                    &transaction,
                    &time,
                    &partner,
                    &user,
                    &device,
                    &region,
                    &age_band,
                    &returning,
                    &vertical,
                    &cart,
                    &slot,
                    &offer,
                    &advertiser,
                    &bid_type,
                    &score,
                    &pctr,
                    &price,
                    &runner_up,
                    &propensity,
                    &estimated,
                    &explored,
                    &slot_propensity,
                    &predicted_click,
                    &predicted_value,
                    &truth,
                    &true_value,
                    &clicked,
                    &conversion_value})
    table.columns.push_back(std::move(*c));
  return table;
}

Table ResultCollector::candidate_table(std::size_t slots) const {
  Column cell = int_column("cell", "", "cell (experimental condition)");
  cell.flag_meanings = cell_names_;
  Column replication = int_column("replication", "", "replication index");
  Column transaction = int_column("transaction", "", "transaction id of the logged request");
  Column offer = int_column("offer", "", "offer (catalog entry) id");
  Column score = real_column("score", "USD", "logging policy's ranking score (value x pCTR)");
  Column pctr = real_column("pctr", "", "predicted click probability (reference slot)");
  Column pcvr = real_column("pcvr", "", "predicted conversion probability given a click");
  Column vpc = real_column("value_per_click", "USD", "logging objective's value of a click");
  Column vpv = real_column("value_per_conversion", "USD",
                           "value of a conversion to whoever it converts for");
  Column conversion =
      real_column("true_conversion_probability", "",
                  "hidden truth: P(conversion within the attribution window | click)");
  std::vector<Column> per_slot;
  for (std::size_t s = 0; s < slots; ++s) {
    const std::string in = " in slot " + std::to_string(s);
    per_slot.push_back(real_column("slot_probability_" + std::to_string(s), "",
                                   "logging policy's P(candidate shown" + in + ")"));
    per_slot.push_back(real_column("predicted_click_" + std::to_string(s), "",
                                   "logging click model's P(click" + in + ")"));
    per_slot.push_back(
        real_column("true_click_" + std::to_string(s), "", "hidden truth: P(click" + in + ")"));
  }
  constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
  for (const FinishedReplication* r : ordered()) {
    for (const CandidateRecord& c : r->candidates) {
      push(cell, static_cast<std::int64_t>(r->cell));
      push(replication, static_cast<std::int64_t>(r->replication));
      push(transaction, static_cast<std::int64_t>(c.transaction));
      push(offer, std::int64_t{c.offer});
      push(score, c.score);
      push(pctr, c.pctr);
      push(pcvr, c.pcvr);
      push(vpc, c.value_per_click);
      push(vpv, c.value_per_conversion);
      push(conversion, c.true_conversion_probability);
      for (std::size_t s = 0; s < slots; ++s) {
        const bool shown = s < c.slot_probability.size();
        push(per_slot[3 * s], shown ? c.slot_probability[s] : kMissing);
        push(per_slot[3 * s + 1], shown ? c.predicted_click[s] : kMissing);
        push(per_slot[3 * s + 2], shown ? c.true_click[s] : kMissing);
      }
    }
  }
  Table table;
  for (Column* c :
       {&cell, &replication, &transaction, &offer, &score, &pctr, &pcvr, &vpc, &vpv, &conversion})
    table.columns.push_back(std::move(*c));
  for (Column& c : per_slot) table.columns.push_back(std::move(c));
  return table;
}

ArrayGroup ResultCollector::ope_arrays(std::size_t target, std::size_t replications) const {
  std::vector<std::vector<std::optional<OpeFigures>>> figures(
      cell_names_.size(), std::vector<std::optional<OpeFigures>>(replications));
  for (const FinishedReplication& r : results_)
    figures[r.cell][r.replication] =
        evaluate_target(r.impressions, r.candidates, r.targets[target]);
  return marketsim::ope_arrays(cell_names_, figures);
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
