#include "sim/runner/replication_capture.h"

#include <algorithm>
#include <cmath>

#include "sim/world/metrics.h"

namespace marketsim {
namespace {

// "truth.device_effect.android" -> "drift_truth_device_effect_android".
std::string drift_variable_name(const std::string& target) {
  std::string name = "drift_" + target;
  std::replace(name.begin(), name.end(), '.', '_');
  return name;
}

}  // namespace

std::vector<SeriesVariable> series_variables(const WorldSpec& spec) {
  std::vector<SeriesVariable> variables;
  for (const MetricInfo& m : kMetricInfo)
    if (m.in_series) variables.push_back({m.name, m.units, m.long_name});
  for (const DriftTarget& t : spec.drift.targets())
    variables.push_back({drift_variable_name(t.name), "",
                         "drift offset of " + t.name + " in force at the end of the window"});
  return variables;
}

void capture_world(World& world, const WorldSpec& spec, FinishedReplication& result) {
  const Recorder& recorder = world.recorder();
  result.totals.clear();
  for (std::size_t m = 0; m < kMetricCount; ++m)
    result.totals.push_back(recorder.total(static_cast<Metric>(m)));
  result.series.clear();
  for (std::size_t m = 0; m < kMetricCount; ++m)
    if (kMetricInfo[m].in_series) result.series.push_back(recorder.series(static_cast<Metric>(m)));
  const std::vector<double> ends = recorder.window_end_hours();
  const auto& log = world.drift_log();
  for (std::size_t t = 0; t < spec.drift.targets().size(); ++t) {
    std::vector<double> values(ends.size(), 0.0);
    std::size_t next = 0;
    double current = 0;
    for (std::size_t w = 0; w < ends.size(); ++w) {
      const SimTime end = hours_to_time(ends[w]);
      for (; next < log.size() && log[next].time < end; ++next)
        if (log[next].target == t) current = log[next].offset;
      values[w] = current;
    }
    result.series.push_back(std::move(values));
  }
  result.latency = world.latency();
  result.impressions = world.take_impression_log();
  result.candidates = world.take_candidate_log();
  result.targets = world.take_target_log();
  result.models = capture_models(world, spec);
  result.experiments = capture_experiments(world);
  result.advertisers.clear();
  result.budget = 0;
  const double days = std::ceil(spec.run.duration_h / 24.0);
  const auto& totals = world.ledger().totals();
  for (const Advertiser& a : world.market().advertisers) {
    const auto& t = totals[a.id];
    result.budget += a.daily_budget * days;
    result.advertisers.push_back(
        AdvertiserRow{static_cast<std::int64_t>(a.bid_type), a.daily_budget, a.target_roas,
                      t.impressions, t.clicks, t.conversions, t.spend, t.conversion_value});
  }
}

std::vector<ExperimentCapture> capture_experiments(const World& world) {
  std::vector<ExperimentCapture> captures;
  for (const ExperimentTracker& e : world.experiments())
    captures.push_back(
        ExperimentCapture{e.snapshots(), e.enrolled_shares(), e.arm_shares(), e.first_seen()});
  return captures;
}

}  // namespace marketsim
