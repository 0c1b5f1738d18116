#include "agents/drift_schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "agents/user_population.h"

namespace marketsim {
namespace {

const char* const kDeviceNames[kDeviceCount] = {"android", "ios", "desktop"};

// Parses "name.index" where index is a device name or a number below `limit`; -1 if invalid.
int parse_index(const std::string& text, int limit, bool device_names) {
  if (device_names) {
    for (int d = 0; d < kDeviceCount; ++d)
      if (text == kDeviceNames[d]) return d;
    return -1;
  }
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
    return -1;
  const long value = std::stol(text);
  return value < limit ? static_cast<int>(value) : -1;
}

// Resolves a target name; returns false when it names nothing.
bool resolve(const std::string& name, int categories, int products, int regions, DriftTarget& t) {
  using Kind = TruthCoefficient::Kind;
  t.name = name;
  const std::pair<const char*, Kind> scalars[] = {
      {"truth.click_intercept", Kind::kClickIntercept},
      {"truth.returning_effect", Kind::kReturningEffect},
      {"truth.affinity_weight", Kind::kAffinityWeight},
      {"truth.conversion_intercept", Kind::kConversionIntercept}};
  for (const auto& [key, kind] : scalars)
    if (name == key) {
      t.domain = DriftTarget::Domain::kTruth;
      t.coefficient = {kind, 0};
      return true;
    }
  if (name == "mix.returning") {
    t.domain = DriftTarget::Domain::kMix;
    t.group = DriftTarget::MixGroup::kReturning;
    return true;
  }
  struct Indexed {
    const char* prefix;
    int limit;
    bool device_names;
    bool truth;
    Kind kind;
    DriftTarget::MixGroup group;
  };
  const Indexed indexed[] = {
      {"truth.device_effect.", kDeviceCount, true, true, Kind::kDeviceEffect, {}},
      {"truth.age_effect.", kAgeBandCount, false, true, Kind::kAgeEffect, {}},
      {"truth.category_effect.", categories, false, true, Kind::kCategoryEffect, {}},
      {"truth.offer_effect.", products, false, true, Kind::kOfferEffect, {}},
      {"mix.device.", kDeviceCount, true, false, {}, DriftTarget::MixGroup::kDevice},
      {"mix.region.", regions, false, false, {}, DriftTarget::MixGroup::kRegion}};
  for (const Indexed& x : indexed) {
    const std::string prefix = x.prefix;
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const int index = parse_index(name.substr(prefix.size()), x.limit, x.device_names);
    if (index < 0) return false;
    t.domain = x.truth ? DriftTarget::Domain::kTruth : DriftTarget::Domain::kMix;
    t.coefficient = {x.kind, index};
    t.group = x.group;
    t.index = index;
    return true;
  }
  return false;
}

}  // namespace

std::vector<ParamSpec> DriftSchedule::declare() {
  return {
      ParamSpec::string("target", "truth.click_intercept",
                        "what drifts: truth.click_intercept, truth.returning_effect, "
                        "truth.affinity_weight, truth.conversion_intercept, "
                        "truth.device_effect.<android|ios|desktop>, truth.age_effect.<0-3>, "
                        "truth.category_effect.<c>, truth.offer_effect.<offer>, "
                        "mix.device.<android|ios|desktop>, mix.region.<r>, mix.returning"),
      ParamSpec::choice("kind", "sudden", {"sudden", "gradual", "seasonal"},
                        "shape of the change over time"),
      ParamSpec::real("at_h", 24, 0, 1e6, "when the change starts", "h"),
      ParamSpec::real("duration_h", 24, 1e-3, 1e6, "gradual: length of the linear ramp", "h"),
      ParamSpec::real("period_h", 24, 1e-3, 1e6, "seasonal: period of the sine", "h"),
      ParamSpec::real("delta", -0.5, -20, 20,
                      "size of the change (logit units for truth, log-weight for mix; "
                      "amplitude when seasonal)"),
  };
}

DriftSchedule DriftSchedule::from(const ParamValues& values, int categories, int products,
                                  int regions) {
  DriftSchedule schedule;
  schedule.step_ = hours_to_time(values.get_real("run.drift_step_h"));
  const std::int64_t count = values.get_int("drift");
  for (std::int64_t i = 0; i < count; ++i) {
    const ParamValues e = values.subset("drift." + std::to_string(i));
    DriftTarget target;
    if (!resolve(e.get_string("target"), categories, products, regions, target))
      e.fail("target", "unknown drift target \"" + e.get_string("target") + "\"");
    auto it = std::find_if(schedule.targets_.begin(), schedule.targets_.end(),
                           [&](const DriftTarget& t) { return t.name == target.name; });
    if (it == schedule.targets_.end()) it = schedule.targets_.insert(it, target);
    DriftEntry entry;
    entry.target = static_cast<std::size_t>(it - schedule.targets_.begin());
    const std::string& kind = e.get_string("kind");
    entry.shape = kind == "sudden"    ? DriftEntry::Shape::kSudden
                  : kind == "gradual" ? DriftEntry::Shape::kGradual
                                      : DriftEntry::Shape::kSeasonal;
    entry.at = hours_to_time(e.get_real("at_h"));
    entry.duration = hours_to_time(e.get_real("duration_h"));
    entry.period = hours_to_time(e.get_real("period_h"));
    entry.delta = e.get_real("delta");
    schedule.entries_.push_back(entry);
  }
  return schedule;
}

double DriftSchedule::offset(std::size_t target, SimTime t) const {
  double total = 0;
  for (const DriftEntry& e : entries_) {
    if (e.target != target || t < e.at) continue;
    const double since = static_cast<double>(t - e.at);
    switch (e.shape) {
      case DriftEntry::Shape::kSudden:
        total += e.delta;
        break;
      case DriftEntry::Shape::kGradual:
        total += e.delta * std::min(1.0, since / static_cast<double>(e.duration));
        break;
      case DriftEntry::Shape::kSeasonal:
        total += e.delta * std::sin(2 * std::numbers::pi * since / static_cast<double>(e.period));
        break;
    }
  }
  return total;
}

std::vector<SimTime> DriftSchedule::change_times(SimTime horizon) const {
  std::vector<SimTime> times;
  for (const DriftEntry& e : entries_) {
    if (e.at >= horizon) continue;
    times.push_back(e.at);
    if (e.shape == DriftEntry::Shape::kSudden) continue;
    const SimTime end =
        e.shape == DriftEntry::Shape::kGradual ? std::min(horizon, e.at + e.duration) : horizon;
    for (SimTime t = e.at + step_; t < end; t += step_) times.push_back(t);
    if (e.shape == DriftEntry::Shape::kGradual && end < horizon) times.push_back(end);
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  return times;
}

}  // namespace marketsim
