// Scenario loading: read the file, validate its keys, apply --set overrides and expand the cells.
#include "sim/scenario/scenario.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "sim/core/error.h"
#include "sim/scenario/scenario_internal.h"

namespace marketsim {
namespace {

// Scenario files are a few kilobytes; a bigger input is something else (a device, a data file),
// refused before it exhausts memory.
constexpr std::size_t kMaxScenarioBytes = std::size_t{4} << 20;

using scenario_internal::SchemaIndex;

toml::table parse_toml(std::string_view text, const std::string& path) {
  scenario_internal::check_toml_bounds(text, path);
  try {
    return toml::parse(text, std::string_view(path));
  } catch (const toml::parse_error& error) {
    const auto& begin = error.source().begin;
    const SourceLocation where{path, static_cast<int>(begin.line), static_cast<int>(begin.column)};
    throw UsageError(escape_controls(where.describe() + ": " + std::string(error.description())));
  }
}

// Every plain key without a default must have a value by now (read_array checks elements). The
// error points at the key's table in the file, or at 1:1 when the file has no such table.
void check_required(const std::vector<ParamSpec>& schema, const ParamValues& base,
                    const std::map<std::string, SourceLocation>& tables, const std::string& path) {
  for (const ParamSpec& spec : schema) {
    if (base.contains(spec.path)) continue;
    const auto dot = spec.path.rfind('.');
    const auto table =
        dot == std::string::npos ? tables.end() : tables.find(spec.path.substr(0, dot));
    const SourceLocation where = table != tables.end() ? table->second : SourceLocation{path, 1, 1};
    scenario_internal::fail(where, spec.path, "missing required key");
  }
}

}  // namespace

bool is_experiment_wide(const std::string& path) {
  if (path == "run.seed" || path == "run.replications") return true;
  if (path.starts_with("evaluation.objective.")) return true;  // one yardstick for every cell
  if (path == "evaluation.models") return true;  // every cell's model figures, or none
  if (path.starts_with("report.")) return true;
  const std::string head = "experiments.";
  const std::string tail = ".name";
  return path.size() > head.size() + tail.size() && path.starts_with(head) &&
         path.ends_with(tail) && path.find('.', head.size()) == path.size() - tail.size();
}

// Precedence, lowest first: declared defaults, the file's keys, --set overrides (in order), then
// a cell's `set` and finally its sweep values. An override therefore reaches every cell except
// those that set the same key themselves: the cell's own setting wins.
Scenario parse_scenario(std::string_view text, const std::string& path,
                        const std::vector<std::string>& overrides,
                        const std::vector<ParamSpec>& schema) {
  const SchemaIndex index(schema);
  const toml::table root = parse_toml(text, path);

  Scenario scenario;
  scenario.path = path;
  scenario.text = std::string(text);
  scenario.overrides = overrides;
  scenario.base = defaults_of(schema);  // arrays start with 0 elements
  // [[cells]], [sweep], [[arms]] and [[ope]] are the file's own tables, read by expand_cells,
  // read_arms and read_ope_targets.
  const std::vector<std::string> reserved = {"cells", "sweep", "arms", "ope"};
  std::map<std::string, SourceLocation> tables;
  for (const auto& entry : scenario_internal::flatten(root, index, path, reserved, &tables)) {
    if (const auto* array = index.array_of(entry.path)) {
      scenario_internal::read_array(entry, *array, scenario.base);
      continue;
    }
    const ParamSpec& spec = scenario_internal::spec_of(entry, index, reserved);
    const SourceLocation where = scenario_internal::location_of(*entry.node, path);
    scenario.base.set(entry.path, scenario_internal::read_value(*entry.node, spec, where), where);
  }
  for (const std::string& text_override : overrides)
    scenario_internal::apply_override(text_override, index, scenario.base);
  check_required(index.plain(), scenario.base, tables, path);
  scenario.cells = scenario_internal::expand_cells(root, scenario.base, index, path);
  scenario.arms = scenario_internal::read_arms(root, scenario.base, index, path);
  scenario.ope_targets = scenario_internal::read_ope_targets(root, index, path);
  return scenario;
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides,
                       const std::vector<ParamSpec>& schema) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) throw UsageError(path + ": cannot read file: " + std::strerror(errno));
  std::string text;
  char buffer[1 << 16];
  std::size_t count;
  while ((count = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    text.append(buffer, count);
    if (text.size() > kMaxScenarioBytes)
      throw UsageError(path + ": not a scenario file: larger than " +
                       std::to_string(kMaxScenarioBytes >> 20) + " MiB");
  }
  if (std::ferror(file.get()))
    throw UsageError(path + ": cannot read file: " + std::strerror(errno));
  return parse_scenario(text, path, overrides, schema);
}

}  // namespace marketsim
