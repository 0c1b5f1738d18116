// `marketsim ope`: an explorer re-ranks the logged candidates; the logged slots are reweighted.
#include "sim/runner/offline_ope.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>

#include "analysis/output/table_reader.h"
#include "analysis/statistics/moment_sums.h"
#include "policies/exploration/explorer.h"
#include "sim/core/error.h"
#include "sim/runner/ope_arrays.h"
#include "sim/scenario/scenario.h"
#include "sim/world/world_spec.h"

namespace marketsim {
namespace {

// The logs of one (cell, replication), in simulation order.
struct ReplicationLogs {
  std::vector<ImpressionRecord> impressions;
  std::vector<CandidateRecord> candidates;
};

using LogKey = std::pair<std::int64_t, std::int64_t>;  // (cell, replication)

void read_impressions(const TableReader& file, std::map<LogKey, ReplicationLogs>& logs) {
  const std::string g = "impressions";
  const auto cell = file.ints(g, "cell"), replication = file.ints(g, "replication");
  const auto transaction = file.ints(g, "transaction"), slot = file.ints(g, "slot");
  const auto offer = file.ints(g, "offer"), clicked = file.ints(g, "clicked");
  const auto propensity = file.doubles(g, "slot_propensity");
  const auto click = file.doubles(g, "predicted_click");
  const auto value = file.doubles(g, "predicted_value");
  const auto reward = file.doubles(g, "conversion_value");
  for (std::size_t i = 0; i < cell.size(); ++i) {
    ImpressionRecord r{};
    r.transaction = static_cast<std::uint64_t>(transaction[i]);
    r.slot = static_cast<int>(slot[i]);
    r.offer = static_cast<std::uint32_t>(offer[i]);
    r.slot_propensity = propensity[i];
    r.predicted_click = click[i];
    r.predicted_value = value[i];
    r.clicked = clicked[i] != 0;
    r.conversion_value = reward[i];
    logs[{cell[i], replication[i]}].impressions.push_back(r);
  }
}

void read_candidates(const TableReader& file, std::map<LogKey, ReplicationLogs>& logs) {
  const std::string g = "candidates";
  const auto cell = file.ints(g, "cell"), replication = file.ints(g, "replication");
  const auto transaction = file.ints(g, "transaction"), offer = file.ints(g, "offer");
  const auto score = file.doubles(g, "score"), pctr = file.doubles(g, "pctr");
  const auto pcvr = file.doubles(g, "pcvr"), vpc = file.doubles(g, "value_per_click");
  const auto vpv = file.doubles(g, "value_per_conversion");
  const auto conversion = file.doubles(g, "true_conversion_probability");
  std::vector<std::array<std::vector<double>, 3>> slots;
  for (std::size_t s = 0; file.has_column(g, "slot_probability_" + std::to_string(s)); ++s) {
    const std::string n = std::to_string(s);
    slots.push_back({file.doubles(g, "slot_probability_" + n),
                     file.doubles(g, "predicted_click_" + n), file.doubles(g, "true_click_" + n)});
  }
  for (std::size_t i = 0; i < cell.size(); ++i) {
    CandidateRecord c{static_cast<std::uint64_t>(transaction[i]),
                      static_cast<std::uint32_t>(offer[i]),
                      score[i],
                      pctr[i],
                      pcvr[i],
                      vpc[i],
                      vpv[i],
                      conversion[i],
                      {},
                      {},
                      {}};
    for (const auto& slot : slots) {
      if (std::isnan(slot[0][i])) break;
      c.slot_probability.push_back(slot[0][i]);
      c.predicted_click.push_back(slot[1][i]);
      c.true_click.push_back(slot[2][i]);
    }
    logs[{cell[i], replication[i]}].candidates.push_back(std::move(c));
  }
}

// The explorer the overrides configure (only explorer keys may be set).
ComponentChoice target_explorer(const std::vector<std::string>& overrides) {
  for (const std::string& o : overrides)
    if (!o.starts_with("recommender.explorer."))
      throw UsageError("--set " + o +
                       ": marketsim ope re-ranks the logged scores, so only "
                       "recommender.explorer.* keys can be set");
  const Scenario scenario = parse_scenario("", "marketsim ope", overrides, scenario_schema());
  return WorldSpec::from(scenario.base).recommender.explorer;
}

// The target's record of every logged request of one replication.
std::vector<TargetRecord> target_records(const Explorer& explorer, const ReplicationLogs& logs,
                                         std::int64_t replication) {
  std::vector<TargetRecord> records;
  std::vector<double> scores, values, pctr, p;
  std::vector<std::uint32_t> offers;
  std::vector<int> shown;
  std::size_t row = 0;
  for (std::size_t first = 0; first < logs.candidates.size();) {
    const std::uint64_t transaction = logs.candidates[first].transaction;
    std::size_t end = first;
    scores.clear(), values.clear(), pctr.clear(), offers.clear(), shown.clear();
    for (; end < logs.candidates.size() && logs.candidates[end].transaction == transaction; ++end) {
      scores.push_back(logs.candidates[end].score);
      values.push_back(logs.candidates[end].value_per_click);
      pctr.push_back(logs.candidates[end].pctr);
      offers.push_back(logs.candidates[end].offer);
    }
    for (; row < logs.impressions.size() && logs.impressions[row].transaction == transaction; ++row)
      for (std::size_t i = 0; i < offers.size(); ++i)
        if (offers[i] == logs.impressions[row].offer) shown.push_back(static_cast<int>(i));
    if (shown.empty()) throw RunError("marketsim ope: a logged request has no logged slot");
    RngStream rng(ReplicationKey{0, static_cast<std::uint64_t>(replication)}, "ope.target",
                  static_cast<std::uint32_t>(transaction >> 32),
                  std::uint64_t{static_cast<std::uint32_t>(transaction)} << 16);
    explorer.slot_probabilities(ExplorationInput{scores, values, pctr, offers, nullptr, nullptr},
                                static_cast<int>(shown.size()), rng, p);
    records.push_back(make_target_record(
        transaction, std::span(logs.candidates.data() + first, end - first), shown, p));
    first = end;
  }
  return records;
}

// Mean and standard error over replications.
std::pair<double, double> mean_se(const std::vector<double>& x) {
  MomentSums sums;
  for (double v : x) sums.add(v);
  if (sums.n < 2) return {sums.mean(), std::numeric_limits<double>::quiet_NaN()};  // no spread
  return {sums.mean(), std::sqrt(sums.variance() / sums.n)};
}

}  // namespace

std::string offline_ope_report(const std::string& h5_path,
                               const std::vector<std::string>& overrides) {
  const ComponentChoice choice = target_explorer(overrides);
  const auto explorer = explorer_registry().create(choice.type, choice.params);
  const TableReader file(h5_path);
  if (!file.has_group("candidates") || !file.has_group("impressions"))
    throw RunError(h5_path + ": no /candidates and /impressions (written from format 1.1 on)");
  const std::vector<std::string> cells = file.strings("cells", "name");
  std::map<LogKey, ReplicationLogs> logs;
  read_impressions(file, logs);
  read_candidates(file, logs);
  std::map<std::int64_t, std::vector<OpeFigures>> by_cell;
  try {
    for (const auto& [key, replication] : logs)
      by_cell[key.first].push_back(
          evaluate_target(replication.impressions, replication.candidates,
                          target_records(*explorer, replication, key.second)));
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("marketsim ope: ") + e.what());
  }
  std::string out = "target: " + choice.type + "\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-16s %-17s %-9s %14s %12s %14s %14s\n", "cell", "reward",
                "estimator", "estimate", "se (reps)", "true target", "true logging");
  out += line;
  for (const auto& [cell, figures] : by_cell) {
    const std::string name =
        cell >= 0 && static_cast<std::size_t>(cell) < cells.size() ? cells[cell] : "?";
    for (std::size_t k = 0; k < kOpeRewards.size(); ++k) {
      std::vector<double> truth, logging;
      for (const OpeFigures& f : figures) {
        truth.push_back(f.true_value[k]);
        logging.push_back(f.logging_true_value[k]);
      }
      for (const char* estimator : {"dm", "ips", "snips", "dr"}) {
        std::vector<double> values;
        for (const OpeFigures& f : figures)
          values.push_back(f.estimates[k].estimate(estimator).value);
        const auto [mean, se] = mean_se(values);
        std::snprintf(line, sizeof line, "%-16s %-17s %-9s %14.6g %12.3g %14.6g %14.6g\n",
                      name.c_str(), kOpeRewards[k], estimator, mean, se, mean_se(truth).first,
                      mean_se(logging).first);
        out += line;
      }
    }
  }
  return out;
}

}  // namespace marketsim
