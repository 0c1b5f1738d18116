// [[cells]] and [sweep]: the named variants of an experiment, expanded into complete cells.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>

#include "sim/scenario/scenario_internal.h"

namespace marketsim::scenario_internal {
namespace {

// One key set by a cell, or one value of a sweep.
struct Setting {
  std::string path;
  ParamValue value;
  SourceLocation where;
};

// A [[cells]] entry, or the implicit cell of a file without any.
struct CellDef {
  std::string name;
  bool implicit = false;
  std::vector<Setting> settings;
};

// One swept key and its values in array order.
struct SweepAxis {
  std::string path;
  std::vector<Setting> points;
};

// The [sweep] table: its axes in path order.
struct Sweep {
  SourceLocation where;
  std::vector<SweepAxis> axes;
};

// The spec of a key that a cell or a sweep varies: a schema key that is not experiment-wide, or
// a key of an element that `base` has (its path in canonical form).
ParamSpec varied_spec(const FlatEntry& entry, const SchemaIndex& index, const ParamValues& base) {
  const std::optional<ParamSpec> element = element_spec(entry.path, index, base, entry.key_where);
  const ParamSpec spec = element ? *element : spec_of(entry, index);
  if (is_experiment_wide(spec.path))
    fail(entry.key_where, spec.path, "cannot differ between cells");
  return spec;
}

std::vector<Setting> read_set(const toml::node& node, const SchemaIndex& index,
                              const ParamValues& base, const std::string& file) {
  if (!node.is_table())
    fail(location_of(node, file), "cells.set", "expected a table, got " + node_text(node));
  std::vector<Setting> settings;
  for (const FlatEntry& entry : flatten(*node.as_table(), index, file, {}, nullptr, true)) {
    const ParamSpec spec = varied_spec(entry, index, base);
    const SourceLocation where = location_of(*entry.node, file);
    settings.push_back(Setting{spec.path, read_value(*entry.node, spec, where), where});
  }
  return settings;
}

CellDef read_cell(const toml::node& node, const SchemaIndex& index, const ParamValues& base,
                  const std::string& file, std::set<std::string>& names) {
  const SourceLocation cell_where = location_of(node, file);
  if (!node.is_table())
    fail(cell_where, "cells", "expected a table ([[cells]]), got " + node_text(node));
  CellDef cell;
  bool named = false;
  for (auto&& [key, value] : *node.as_table()) {
    const std::string name(key.str());
    const std::string path = "cells." + name;
    if (name == "name") {
      cell.name = read_name(value, path, file);
      if (!names.insert(cell.name).second)
        fail(location_of(value, file), path, "duplicate cell name " + format_value(cell.name));
      named = true;
    } else if (name == "set") {
      cell.settings = read_set(value, index, base, file);
    } else {
      fail_unknown(key, "cells", {"name", "set"}, file);
    }
  }
  if (!named) fail(cell_where, "cells.name", "missing required key");
  return cell;
}

std::vector<CellDef> read_cells(const toml::table& root, const SchemaIndex& index,
                                const ParamValues& base, const std::string& file) {
  const toml::node* node = root.get("cells");
  if (!node) return {CellDef{"base", true, {}}};
  const toml::array* array = node->as_array();
  if (!array || array->empty())
    fail(location_of(*node, file), "cells",
         "expected one or more [[cells]] tables, got " + node_text(*node));
  std::vector<CellDef> cells;
  std::set<std::string> names;
  for (const toml::node& cell : *array) cells.push_back(read_cell(cell, index, base, file, names));
  return cells;
}

Sweep read_sweep(const toml::table& root, const SchemaIndex& index, const ParamValues& base,
                 const std::string& file) {
  const toml::node* node = root.get("sweep");
  if (!node) return {};
  Sweep sweep{location_of(*node, file), {}};
  if (!node->is_table()) fail(sweep.where, "sweep", "expected a table, got " + node_text(*node));
  for (const FlatEntry& entry : flatten(*node->as_table(), index, file, {}, nullptr, true)) {
    const ParamSpec spec = varied_spec(entry, index, base);
    const toml::array* values = entry.node->as_array();
    if (!values || values->empty())
      fail(location_of(*entry.node, file), spec.path,
           "expected a non-empty array of values to sweep, got " + node_text(*entry.node));
    SweepAxis axis{spec.path, {}};
    for (const toml::node& value : *values) {
      const SourceLocation where = location_of(value, file);
      axis.points.push_back(Setting{spec.path, read_value(value, spec, where), where});
    }
    sweep.axes.push_back(std::move(axis));
  }
  std::sort(sweep.axes.begin(), sweep.axes.end(),
            [](const SweepAxis& a, const SweepAxis& b) { return a.path < b.path; });
  return sweep;
}

// "epsilon=0.05" for a swept value: the last path component and the value without quotes or
// spaces, so that names stay usable on a command line.
std::string point_name(const Setting& point) {
  const std::string key = point.path.substr(point.path.rfind('.') + 1);
  if (const auto* text = std::get_if<std::string>(&point.value)) return key + "=" + *text;
  std::string value = format_value(point.value);
  value.erase(std::remove(value.begin(), value.end(), ' '), value.end());
  return key + "=" + value;
}

void apply(const Setting& setting, CellSpec& cell) {
  cell.values.set(setting.path, setting.value, setting.where);
  cell.overrides.emplace_back(setting.path, setting.value);
}

}  // namespace

bool valid_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || (c != '\0' && std::strchr("_.=+-", c));
  });
}

std::string read_name(const toml::node& value, const std::string& path, const std::string& file) {
  const SourceLocation where = location_of(value, file);
  if (!value.is_string()) fail(where, path, expected_message(ParamKind::kString, node_text(value)));
  std::string name = value.as_string()->get();
  if (!valid_name(name))
    fail(where, path, "must match [A-Za-z0-9_.=+-]+, got " + format_value(name));
  return name;
}

void fail_unknown(const toml::key& key, const std::string& table,
                  const std::vector<std::string>& keys, const std::string& file) {
  const std::string name(key.str());
  const auto suggestion = closest(name, keys);
  fail(location_of(key, file), table + "." + name,
       suggestion ? "unknown key (did you mean \"" + table + "." + *suggestion + "\"?)"
                  : "unknown key");
}

std::vector<CellSpec> expand_cells(const toml::table& root, const ParamValues& base,
                                   const SchemaIndex& index, const std::string& file) {
  const std::vector<CellDef> defs = read_cells(root, index, base, file);
  const Sweep sweep = read_sweep(root, index, base, file);
  for (const CellDef& def : defs)
    for (const Setting& setting : def.settings)
      for (const SweepAxis& axis : sweep.axes)
        if (axis.path == setting.path)
          fail(setting.where, setting.path, "is swept in [sweep], so a cell cannot also set it");

  std::size_t points = 1;
  for (const SweepAxis& axis : sweep.axes) points *= axis.points.size();
  std::vector<CellSpec> cells;
  std::set<std::string> names;
  for (const CellDef& def : defs) {
    for (std::size_t p = 0; p < points; ++p) {
      // Mixed-radix digits of p: the last axis varies fastest.
      std::vector<const Setting*> chosen(sweep.axes.size());
      for (std::size_t i = sweep.axes.size(), rest = p; i-- > 0;) {
        const auto& axis_points = sweep.axes[i].points;
        chosen[i] = &axis_points[rest % axis_points.size()];
        rest /= axis_points.size();
      }
      CellSpec cell{def.implicit && !chosen.empty() ? "" : def.name, base, {}};
      for (const Setting* point : chosen) {
        if (!cell.name.empty()) cell.name += '+';
        cell.name += point_name(*point);
      }
      for (const Setting& setting : def.settings) apply(setting, cell);
      for (const Setting* point : chosen) apply(*point, cell);
      if (!names.insert(cell.name).second)
        fail(sweep.where, "sweep",
             "expands to the cell name " + format_value(cell.name) + " twice");
      cells.push_back(std::move(cell));
    }
  }
  return cells;
}

}  // namespace marketsim::scenario_internal
