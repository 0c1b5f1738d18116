// Shared by the scenario loader tests: small schemas and parse helpers.
#pragma once

#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

#include "sim/core/error.h"
#include "sim/scenario/scenario.h"

namespace marketsim::scenario_test {

inline const double kInf = std::numeric_limits<double>::infinity();

// A small schema with every kind of key, bounds, a fixed-length list and a required key.
inline std::vector<ParamSpec> test_schema() {
  ParamSpec advertisers = ParamSpec::integer("market.advertisers", 1, 1, 1000, "Advertisers.");
  advertisers.default_value.reset();
  return {
      ParamSpec::integer("run.seed", 1, 0, 1e9, "Master seed."),
      ParamSpec::integer("run.replications", 1, 1, 100, "Replications per cell."),
      ParamSpec::string("run.label", "", "Free text."),
      ParamSpec::integer("users.count", 100, 1, 1e8, "Number of users."),
      ParamSpec::real("users.arrival_rate", 2.0, 0, kInf, "Arrivals per user.", "1/h"),
      ParamSpec::boolean("users.churn", false, "Whether users leave."),
      advertisers,
      ParamSpec::real_list("market.shares", {0.5, 0.5}, 2, 0, 1, "Share of each segment."),
      ParamSpec::choice("recommender.explorer.type", "epsilon_greedy",
                        {"greedy", "epsilon_greedy", "ucb"}, "Exploration policy."),
      ParamSpec::real("recommender.explorer.epsilon_greedy.epsilon", 0.1, 0, 1, "Exploration."),
      ParamSpec::real("recommender.explorer.ucb.c", 1.0, 0, 10, "Confidence width."),
  };
}

// The test schema plus two arrays of tables: market.flash_sales[] and the top-level drift[].
inline std::vector<ParamSpec> array_schema() {
  std::vector<ParamSpec> schema = test_schema();
  ParamSpec start = ParamSpec::real("market.flash_sales[].start_h", 0, 0, kInf, "Start.", "h");
  start.default_value.reset();
  ParamSpec target = ParamSpec::string("drift[].target", "", "Key that drifts.");
  target.default_value.reset();
  schema.insert(
      schema.begin() + 8,
      {start, ParamSpec::real("market.flash_sales[].duration_h", 1, 0, kInf, "Length.", "h"),
       ParamSpec::real("market.flash_sales[].multiplier", 2, 1, 10, "Demand factor.")});
  schema.push_back(target);
  schema.push_back(
      ParamSpec::choice("drift[].kind", "sudden", {"sudden", "gradual"}, "Shape of the change."));
  schema.push_back(ParamSpec::real("drift[].delta", 0, -kInf, kInf, "Change."));
  return schema;
}

inline const std::string kMinimal = "[market]\nadvertisers = 3\n";

inline Scenario parse(const std::string& text, const std::vector<std::string>& overrides = {},
                      const std::vector<ParamSpec>& schema = test_schema()) {
  return parse_scenario(text, "s.toml", overrides, schema);
}

// The message of the UsageError that parsing throws.
inline std::string error_of(const std::string& text, const std::vector<std::string>& overrides = {},
                            const std::vector<ParamSpec>& schema = test_schema()) {
  try {
    parse(text, overrides, schema);
  } catch (const UsageError& error) {
    return error.what();
  }
  FAIL("expected a UsageError");
  return "";
}

inline std::vector<std::string> names_of(const Scenario& scenario) {
  std::vector<std::string> names;
  for (const CellSpec& cell : scenario.cells) names.push_back(cell.name);
  return names;
}

}  // namespace marketsim::scenario_test
