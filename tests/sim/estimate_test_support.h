// Shared by the resource and model estimate tests: a flat-traffic scenario and parse helpers.
#pragma once

#include <string>
#include <vector>

#include "models/predictor.h"
#include "sim/scenario/scenario.h"
#include "sim/world/world_spec.h"

namespace marketsim::estimate_test {

// What the registry declares the model of `role` holds.
inline double footprint(const ModelRoleSpec& role, Task task) {
  return predictor_registry()
      .footprint(role.model.type, role.model.params,
                 PredictorContext{task, {}, role.features, {}, 0})
      .bytes;
}

inline Scenario parse(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return parse_scenario(text, "s.toml", overrides, scenario_schema());
}

// Flat profiles, no dispersion: 10 partners x 100/h x 24 h = 24,000 organic transactions.
inline const std::string kFlat =
    "[run]\nduration_h = 24.0\nlog_every = 0\noracle_every = 0\nlatency_sample_every = 0\n"
    "[users]\ncount = 1000\nreturn_rate_per_day = 0.0\n"
    "[partners]\ncount = 10\ntransactions_per_hour = 100.0\nrate_dispersion = 0.0\n"
    "hourly_profile = [" +
    [] {
      std::string ones;
      for (int h = 0; h < 24; ++h) ones += h ? ", 1.0" : "1.0";
      return ones;
    }() +
    "]\nweekly_profile = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]\n";

}  // namespace marketsim::estimate_test
