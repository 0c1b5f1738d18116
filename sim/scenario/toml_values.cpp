// TOML nodes -> dotted keys and checked parameter values, with the position of each in the file.
#include <algorithm>
#include <sstream>
#include <tuple>

#include "sim/core/error.h"
#include "sim/scenario/scenario_internal.h"

namespace marketsim::scenario_internal {
namespace {

void collect(const toml::table& table, const std::string& prefix, const SchemaIndex& index,
             const std::string& file, const std::vector<std::string>& skip,
             std::map<std::string, SourceLocation>* tables, bool enter_arrays,
             std::vector<FlatEntry>& out) {
  for (auto&& [key, node] : table) {
    const std::string name(key.str());
    if (std::find(skip.begin(), skip.end(), name) != skip.end()) continue;
    const std::string path = prefix.empty() ? name : prefix + "." + name;
    const bool enter = index.is_table(path) || (enter_arrays && index.array_of(path));
    if (node.is_table() && !index.find(path) && enter) {
      if (tables) tables->emplace(path, location_of(node, file));
      collect(*node.as_table(), path, index, file, {}, tables, enter_arrays, out);
    } else {
      out.push_back(FlatEntry{path, &node, location_of(key, file)});
    }
  }
}

}  // namespace

void fail(const SourceLocation& where, const std::string& path, const std::string& message) {
  throw UsageError(param_error_message(where, path, message));
}

SourceLocation location_of(const toml::node& node, const std::string& file) {
  const auto& begin = node.source().begin;
  return SourceLocation{file, static_cast<int>(begin.line), static_cast<int>(begin.column)};
}

SourceLocation location_of(const toml::key& key, const std::string& file) {
  const auto& begin = key.source().begin;
  return SourceLocation{file, static_cast<int>(begin.line), static_cast<int>(begin.column)};
}

std::vector<FlatEntry> flatten(const toml::table& table, const SchemaIndex& index,
                               const std::string& file, const std::vector<std::string>& skip,
                               std::map<std::string, SourceLocation>* tables, bool enter_arrays) {
  std::vector<FlatEntry> entries;
  collect(table, "", index, file, skip, tables, enter_arrays, entries);
  std::stable_sort(entries.begin(), entries.end(), [](const FlatEntry& a, const FlatEntry& b) {
    return std::tie(a.key_where.line, a.key_where.column) <
           std::tie(b.key_where.line, b.key_where.column);
  });
  std::map<std::string, SourceLocation> seen;
  for (const FlatEntry& entry : entries) {
    auto [it, inserted] = seen.emplace(entry.path, entry.key_where);
    if (!inserted)
      fail(entry.key_where, entry.path,
           "duplicate key (also given at " + std::to_string(it->second.line) + ":" +
               std::to_string(it->second.column) + ")");
  }
  return entries;
}

const ParamSpec& spec_of(const FlatEntry& entry, const SchemaIndex& index,
                         const std::vector<std::string>& also_top) {
  if (const ParamSpec* spec = index.find(entry.path)) return *spec;
  if (index.is_table(entry.path))
    fail(location_of(*entry.node, entry.key_where.file), entry.path,
         "expected a table, got " + node_text(*entry.node));
  fail(entry.key_where, entry.path, unknown_key_message(entry.path, index, also_top));
}

std::optional<ParamValue> to_param_value(const toml::node& node, ParamKind kind) {
  switch (node.type()) {
    case toml::node_type::integer: {
      const std::int64_t v = node.as_integer()->get();
      if (kind == ParamKind::kReal) return static_cast<double>(v);
      return v;
    }
    case toml::node_type::floating_point:
      return node.as_floating_point()->get();
    case toml::node_type::boolean:
      return node.as_boolean()->get();
    case toml::node_type::string:
      return node.as_string()->get();
    case toml::node_type::array: {
      std::vector<double> values;
      for (const toml::node& element : *node.as_array()) {
        if (element.is_integer()) {
          values.push_back(static_cast<double>(element.as_integer()->get()));
        } else if (element.is_floating_point()) {
          values.push_back(element.as_floating_point()->get());
        } else {
          return std::nullopt;
        }
      }
      return values;
    }
    default:
      return std::nullopt;
  }
}

std::string node_text(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array: {
      std::string text = "[";
      for (const toml::node& element : *node.as_array())
        text += (text.size() > 1 ? ", " : "") + node_text(element);
      return text + "]";
    }
    case toml::node_type::integer:
      return format_value(node.as_integer()->get());
    case toml::node_type::floating_point:
      return format_value(node.as_floating_point()->get());
    case toml::node_type::boolean:
      return format_value(node.as_boolean()->get());
    case toml::node_type::string:
      return format_value(node.as_string()->get());
    default: {
      std::ostringstream out;
      node.visit([&out](auto&& value) { out << value; });
      return out.str();
    }
  }
}

std::string expected_message(ParamKind kind, const std::string& got) {
  // A choice is written as a string; check_value words its type errors the same way.
  const char* name = kind == ParamKind::kChoice ? "string" : kind_name(kind);
  return std::string("expected ") + name + ", got " + got;
}

ParamValue read_value(const toml::node& node, const ParamSpec& spec, const SourceLocation& where) {
  const std::optional<ParamValue> value = to_param_value(node, spec.kind);
  const std::string problem =
      value ? check_value(spec, *value) : expected_message(spec.kind, node_text(node));
  if (!problem.empty()) fail(where, spec.path, problem);
  return *value;
}

}  // namespace marketsim::scenario_internal
