// [[arms]]: the arms of the scenario's A/B experiments, each a set of recommender keys.
#include <algorithm>
#include <map>
#include <set>

#include "sim/scenario/scenario_internal.h"

namespace marketsim::scenario_internal {
namespace {

const std::vector<std::string> kArmKeys = {"experiment", "name", "weight", "shares", "set"};

// The names of the experiments declared in `base`, in order.
std::vector<std::string> experiment_names(const ParamValues& base) {
  std::vector<std::string> names;
  if (!base.contains("experiments")) return names;
  for (std::int64_t i = 0; i < base.get_int("experiments"); ++i)
    names.push_back(base.get_string("experiments." + std::to_string(i) + ".name"));
  return names;
}

std::string string_value(const toml::node& value, const std::string& path,
                         const std::string& file) {
  if (!value.is_string())
    fail(location_of(value, file), path, expected_message(ParamKind::kString, node_text(value)));
  return value.as_string()->get();
}

ArmSpec read_arm(const toml::node& node, const SchemaIndex& index,
                 const std::vector<std::string>& experiments, const std::string& file) {
  ArmSpec arm;
  arm.where = location_of(node, file);
  if (!node.is_table())
    fail(arm.where, "arms", "expected a table ([[arms]]), got " + node_text(node));
  bool has_experiment = false, has_name = false;
  for (auto&& [key, value] : *node.as_table()) {
    const std::string name(key.str());
    const std::string path = "arms." + name;
    if (name == "experiment") {
      arm.experiment = string_value(value, path, file);
      if (std::find(experiments.begin(), experiments.end(), arm.experiment) == experiments.end()) {
        std::string declared;
        for (const std::string& e : experiments) declared += (declared.empty() ? "" : ", ") + e;
        fail(location_of(value, file), path,
             "no [[experiments]] named " + format_value(arm.experiment) +
                 (declared.empty() ? " (none declared)" : " (declared: " + declared + ")"));
      }
      has_experiment = true;
    } else if (name == "name") {
      arm.name = read_name(value, path, file);
      has_name = true;
    } else if (name == "weight") {
      const ParamSpec spec =
          ParamSpec::real("arms.weight", 1.0, 1e-9, 1e9, "relative traffic weight");
      const SourceLocation where = location_of(value, file);
      arm.weight = std::get<double>(read_value(value, spec, where));
    } else if (name == "shares") {
      const ParamSpec spec = ParamSpec::real_list(
          "arms.shares", {}, 0, 0, 1, "the arm's share of all units in each rollout stage");
      arm.shares = std::get<std::vector<double>>(read_value(value, spec, location_of(value, file)));
    } else if (name == "set") {
      read_recommender_set(value, index, file, "arms.set", arm.overrides, arm.override_where);
    } else {
      fail_unknown(key, "arms", kArmKeys, file);
    }
  }
  if (!has_experiment) fail(arm.where, "arms.experiment", "missing required key");
  if (!has_name) fail(arm.where, "arms.name", "missing required key");
  return arm;
}

}  // namespace

void read_recommender_set(const toml::node& node, const SchemaIndex& index, const std::string& file,
                          const std::string& path,
                          std::vector<std::pair<std::string, ParamValue>>& overrides,
                          std::vector<SourceLocation>& where) {
  if (!node.is_table())
    fail(location_of(node, file), path, "expected a table, got " + node_text(node));
  for (const FlatEntry& entry : flatten(*node.as_table(), index, file)) {
    const ParamSpec& spec = spec_of(entry, index);
    if (!spec.path.starts_with("recommender."))
      fail(entry.key_where, spec.path, "may set only recommender.* keys (the world is the cell's)");
    const SourceLocation at = location_of(*entry.node, file);
    overrides.emplace_back(spec.path, read_value(*entry.node, spec, at));
    where.push_back(at);
  }
}

std::vector<ArmSpec> read_arms(const toml::table& root, const ParamValues& base,
                               const SchemaIndex& index, const std::string& file) {
  const std::vector<std::string> experiments = experiment_names(base);
  std::set<std::string> distinct;
  for (std::size_t i = 0; i < experiments.size(); ++i) {
    const std::string path = "experiments." + std::to_string(i) + ".name";
    if (!valid_name(experiments[i]))
      base.fail(path, "must match [A-Za-z0-9_.=+-]+, got " + format_value(experiments[i]));
    if (!distinct.insert(experiments[i]).second)
      base.fail(path, "duplicate experiment name " + format_value(experiments[i]));
  }
  std::vector<ArmSpec> arms;
  if (const toml::node* node = root.get("arms")) {
    const toml::array* array = node->as_array();
    if (!array || array->empty())
      fail(location_of(*node, file), "arms",
           "expected one or more [[arms]] tables, got " + node_text(*node));
    std::set<std::pair<std::string, std::string>> names;
    for (const toml::node& element : *array) {
      ArmSpec arm = read_arm(element, index, experiments, file);
      if (!names.emplace(arm.experiment, arm.name).second)
        fail(arm.where, "arms.name",
             "duplicate arm " + format_value(arm.name) + " in experiment " +
                 format_value(arm.experiment));
      arms.push_back(std::move(arm));
    }
  }
  std::map<std::string, std::string> setter;  // key -> the experiment whose arms set it
  for (std::size_t i = 0; i < experiments.size(); ++i) {
    std::size_t count = 0;
    for (const ArmSpec& arm : arms) {
      if (arm.experiment != experiments[i]) continue;
      ++count;
      for (std::size_t k = 0; k < arm.overrides.size(); ++k) {
        const std::string& key = arm.overrides[k].first;
        const auto [it, fresh] = setter.emplace(key, arm.experiment);
        if (!fresh && it->second != arm.experiment)
          fail(arm.override_where[k], key,
               "is set by arms of experiments " + format_value(it->second) + " and " +
                   format_value(arm.experiment) +
                   "; experiments run on orthogonal layers and may not set the same key");
      }
    }
    if (count < 2)
      base.fail("experiments." + std::to_string(i) + ".name",
                "experiment " + format_value(experiments[i]) +
                    " needs at least two [[arms]] (the first is its control)");
  }
  return arms;
}

}  // namespace marketsim::scenario_internal
