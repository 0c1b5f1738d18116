// [[ope]]: the target policies that off-policy evaluation estimates from the logged requests.
#include <algorithm>
#include <set>

#include "sim/scenario/scenario_internal.h"

namespace marketsim::scenario_internal {
namespace {

const std::vector<std::string> kTargetKeys = {"name", "set"};

// What a target may configure: it re-ranks the logging policy's candidates, so only its models,
// objective and explorer.
const std::vector<std::string> kTargetPrefixes = {
    "recommender.ranker.", "recommender.conversion_model.", "recommender.user_value_model.",
    "recommender.explorer.", "recommender.objective."};

OpeTargetSpec read_target(const toml::node& node, const SchemaIndex& index,
                          const std::string& file) {
  OpeTargetSpec target;
  target.where = location_of(node, file);
  if (!node.is_table())
    fail(target.where, "ope", "expected a table ([[ope]]), got " + node_text(node));
  bool named = false;
  for (auto&& [key, value] : *node.as_table()) {
    const std::string name(key.str());
    const std::string path = "ope." + name;
    if (name == "name") {
      target.name = read_name(value, path, file);
      named = true;
    } else if (name == "set") {
      read_recommender_set(value, index, file, "ope.set", target.overrides, target.override_where);
      for (std::size_t k = 0; k < target.overrides.size(); ++k) {
        const std::string& key = target.overrides[k].first;
        if (std::none_of(kTargetPrefixes.begin(), kTargetPrefixes.end(),
                         [&](const std::string& p) { return key.starts_with(p); }))
          fail(target.override_where[k], key,
               "a target re-ranks the logged candidates: it may set only recommender.ranker, "
               "conversion_model, user_value_model, explorer and objective keys");
      }
    } else {
      fail_unknown(key, "ope", kTargetKeys, file);
    }
  }
  if (!named) fail(target.where, "ope.name", "missing required key");
  return target;
}

}  // namespace

std::vector<OpeTargetSpec> read_ope_targets(const toml::table& root, const SchemaIndex& index,
                                            const std::string& file) {
  std::vector<OpeTargetSpec> targets;
  const toml::node* node = root.get("ope");
  if (!node) return targets;
  const toml::array* array = node->as_array();
  if (!array || array->empty())
    fail(location_of(*node, file), "ope",
         "expected one or more [[ope]] tables, got " + node_text(*node));
  std::set<std::string> names;
  for (const toml::node& element : *array) {
    OpeTargetSpec target = read_target(element, index, file);
    if (!names.insert(target.name).second)
      fail(target.where, "ope.name", "duplicate target name " + format_value(target.name));
    targets.push_back(std::move(target));
  }
  return targets;
}

}  // namespace marketsim::scenario_internal
