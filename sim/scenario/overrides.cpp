// Command-line overrides: "--set key.path=value" applied to the scenario's base values.
#include "sim/core/error.h"
#include "sim/scenario/scenario_internal.h"

namespace marketsim::scenario_internal {
namespace {

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// The value text parsed as TOML ("v = " + text), or nullptr when it is not one TOML value.
toml::node* parse_toml_value(const std::string& text, toml::table& holder) {
  try {
    holder = toml::parse("v = " + text, std::string_view("--set"));
  } catch (const toml::parse_error&) {
    return nullptr;
  }
  return holder.size() == 1 ? holder.get("v") : nullptr;
}

// Strings may be written without quotes: anything that is not a TOML string is taken as raw
// text, so `--set x.type=greedy` and `--set x.label=2024` both give strings.
ParamValue string_value(const std::string& raw, const toml::node* node) {
  if (node && node->is_string()) return node->as_string()->get();
  return raw;
}

}  // namespace

void apply_override(const std::string& text, const SchemaIndex& index, ParamValues& base) {
  const SourceLocation where{"--set " + text, 0, 0};
  const auto equals = text.find('=');
  if (equals == std::string::npos) throw UsageError(where.describe() + ": expected KEY=VALUE");
  const std::string path = trim(text.substr(0, equals));
  const std::string raw = trim(text.substr(equals + 1));

  std::optional<ParamSpec> spec;
  if (const ParamSpec* plain = index.find(path)) spec = *plain;
  if (!spec) spec = element_spec(path, index, base, where);
  if (!spec)
    fail(where, path,
         index.is_table(path) ? "is a table, not a key" : unknown_key_message(path, index));

  toml::table holder;
  const toml::node* node = parse_toml_value(raw, holder);
  std::optional<ParamValue> value;
  if (spec->kind == ParamKind::kString || spec->kind == ParamKind::kChoice) {
    value = string_value(raw, node);
  } else if (!node) {
    // Not TOML at all: report it as the string it would be, e.g. `expected int, got "abc"`.
    value = raw;
  } else {
    value = to_param_value(*node, spec->kind);
    if (!value) fail(where, spec->path, expected_message(spec->kind, node_text(*node)));
  }
  const std::string problem = check_value(*spec, *value);
  if (!problem.empty()) fail(where, spec->path, problem);
  base.set(spec->path, *value, where);
}

}  // namespace marketsim::scenario_internal
