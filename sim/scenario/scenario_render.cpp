// Scenario text for people and tools: the resolved TOML of a run and the schema reference tables.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "sim/scenario/scenario.h"
#include "sim/scenario/scenario_internal.h"

namespace marketsim {
namespace {

std::string parent_of(const std::string& path) {
  const auto dot = path.rfind('.');
  return dot == std::string::npos ? "" : path.substr(0, dot);
}

std::string leaf_of(const std::string& path) { return path.substr(path.rfind('.') + 1); }

// A float that parses back to exactly `x`: format_value's text when it does, else 17 digits.
std::string exact_number(double x) {
  const std::string text = format_value(x);
  if (!std::isfinite(x) || std::strtod(text.c_str(), nullptr) == x) return text;
  std::ostringstream out;
  out.precision(17);
  out << x;
  std::string exact = out.str();
  if (exact.find_first_of(".eE") == std::string::npos) exact += ".0";
  return exact;
}

// A TOML basic string with quotes, backslashes and control characters escaped.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned char>(c));
      out += escape;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// A value as TOML text that parses back to the same value.
std::string toml_value(const ParamValue& value) {
  if (const auto* x = std::get_if<double>(&value)) return exact_number(*x);
  if (const auto* s = std::get_if<std::string>(&value)) return quoted(*s);
  if (const auto* xs = std::get_if<std::vector<double>>(&value)) {
    std::string text = "[";
    for (std::size_t i = 0; i < xs->size(); ++i) text += (i ? ", " : "") + exact_number((*xs)[i]);
    return text + "]";
  }
  return format_value(value);
}

// A key or dotted table name, each component bare when TOML allows it and quoted otherwise.
std::string toml_key(const std::string& path) {
  std::string out;
  std::size_t start = 0;
  while (true) {
    const auto dot = path.find('.', start);
    const std::string part = path.substr(start, dot == std::string::npos ? dot : dot - start);
    const bool bare = !part.empty() && part.find_first_not_of(
                                           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                           "0123456789_-") == std::string::npos;
    out += bare ? part : quoted(part);
    if (dot == std::string::npos) return out;
    out += '.';
    start = dot + 1;
  }
}

// A Markdown table cell: pipes escaped so they do not split the cell.
std::string cell_text(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

// The distinct values of `key(spec)` in schema order.
template <typename Key>
std::vector<std::string> groups_of(const std::vector<ParamSpec>& schema, Key key) {
  std::vector<std::string> groups;
  for (const ParamSpec& spec : schema) {
    const std::string group = key(spec.path);
    if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
  }
  return groups;
}

// `set = { "key" = value, ... }` and a newline, or "" without overrides.
std::string set_line(const std::vector<std::pair<std::string, ParamValue>>& overrides) {
  if (overrides.empty()) return "";
  std::string set;
  for (const auto& [path, value] : overrides)
    set += (set.empty() ? "" : ", ") + quoted(path) + " = " + toml_value(value);
  return "set = { " + set + " }\n";
}

}  // namespace

std::string resolved_toml(const Scenario& scenario, const std::vector<ParamSpec>& schema) {
  const scenario_internal::SchemaIndex index(schema);
  const ParamValues& base = scenario.base;
  std::string out;
  // Top-level keys (parent "") come first, before any table header.
  std::vector<std::string> tables = groups_of(index.plain(), parent_of);
  std::stable_partition(tables.begin(), tables.end(),
                        [](const std::string& t) { return t.empty(); });
  for (const std::string& table : tables) {
    if (!table.empty()) out += (out.empty() ? "[" : "\n[") + toml_key(table) + "]\n";
    for (const ParamSpec& spec : index.plain()) {
      if (parent_of(spec.path) != table || !base.contains(spec.path)) continue;
      out += toml_key(leaf_of(spec.path)) + " = " + toml_value(base.get(spec.path)) + "\n";
    }
  }
  // Arrays of tables after every plain table: a [[header]] opens an element, whose keys follow.
  for (const auto& array : index.arrays()) {
    for (std::int64_t i = 0; i < base.get_int(array.prefix); ++i) {
      out += (out.empty() ? "[[" : "\n[[") + toml_key(array.prefix) + "]]\n";
      const std::string head = array.prefix + "." + std::to_string(i) + ".";
      for (const ParamSpec& spec : array.specs)
        if (base.contains(head + spec.path))
          out += toml_key(spec.path) + " = " + toml_value(base.get(head + spec.path)) + "\n";
    }
  }
  for (const CellSpec& cell : scenario.cells)
    out += "\n[[cells]]\nname = " + quoted(cell.name) + "\n" + set_line(cell.overrides);
  for (const ArmSpec& arm : scenario.arms)
    out += "\n[[arms]]\nexperiment = " + quoted(arm.experiment) + "\nname = " + quoted(arm.name) +
           "\nweight = " + toml_value(arm.weight) + "\n" +
           (arm.shares.empty() ? "" : "shares = " + toml_value(arm.shares) + "\n") +
           set_line(arm.overrides);
  for (const OpeTargetSpec& target : scenario.ope_targets)
    out += "\n[[ope]]\nname = " + quoted(target.name) + "\n" + set_line(target.overrides);
  return out;
}

std::string schema_markdown(const std::vector<ParamSpec>& schema) {
  const scenario_internal::SchemaIndex index(schema);  // rejects a malformed schema
  // "drift[].target" belongs to the section "drift".
  const auto section_of = [](const std::string& path) {
    return path.substr(0, path.find_first_of(".["));
  };
  std::string out;
  for (const std::string& section : groups_of(schema, section_of)) {
    out += (out.empty() ? "### `" : "\n### `") + section + "`\n\n";
    out += "| key | type | default | range | units | description |\n";
    out += "|---|---|---|---|---|---|\n";
    for (const ParamSpec& spec : schema) {
      if (section_of(spec.path) != section) continue;
      const std::string fallback =
          spec.default_value ? format_value(*spec.default_value) : "required";
      const std::vector<std::string> cells = {
          "`" + spec.path + "`", kind_name(spec.kind), fallback,
          describe_range(spec),  spec.units,           spec.description};
      std::string row = "|";
      for (const std::string& cell : cells) {
        if (!cell.empty()) {
          row += ' ';
          row += cell_text(cell);
        }
        row += " |";
      }
      out += row + "\n";
    }
  }
  return out;
}

}  // namespace marketsim
