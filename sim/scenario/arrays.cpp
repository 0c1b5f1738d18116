// Arrays of tables ([[partners.flash_sales]]): elements checked against their element schema,
// stored as "PREFIX.I.KEY" with the count at "PREFIX", and element keys addressed by overrides.
#include <algorithm>
#include <cctype>
#include <set>

#include "sim/scenario/scenario_internal.h"

namespace marketsim::scenario_internal {
namespace {

// A copy of `spec` named by its full path, so that messages name the element.
ParamSpec at_path(const ParamSpec& spec, const std::string& path) {
  ParamSpec copy = spec;
  copy.path = path;
  return copy;
}

void read_element(const toml::node& node, const std::string& head, const ArraySchema& array,
                  const std::string& file, ParamValues& values) {
  const SourceLocation element_where = location_of(node, file);
  if (!node.is_table()) fail(element_where, head, "expected a table, got " + node_text(node));
  const SchemaIndex element_index(array.specs);
  std::set<std::string> given;
  for (const FlatEntry& entry : flatten(*node.as_table(), element_index, file)) {
    const std::string path = head + "." + entry.path;
    const ParamSpec* spec = element_index.find(entry.path);
    if (!spec && element_index.is_table(entry.path))
      fail(location_of(*entry.node, file), path, "expected a table, got " + node_text(*entry.node));
    if (!spec)
      fail(entry.key_where, path, unknown_key_message(entry.path, element_index, {}, head + "."));
    const SourceLocation where = location_of(*entry.node, file);
    values.set(path, read_value(*entry.node, at_path(*spec, path), where), where);
    given.insert(entry.path);
  }
  for (const ParamSpec& spec : array.specs) {
    if (given.count(spec.path)) continue;
    if (!spec.default_value) fail(element_where, head + "." + spec.path, "missing required key");
    values.set(head + "." + spec.path, *spec.default_value);
  }
}

// The element number of `text` ("0", "12"), or nullopt when it is not a plain decimal number.
std::optional<std::size_t> element_number(const std::string& text) {
  if (text.empty() || text.size() > 9 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return std::nullopt;
  return std::stoul(text);
}

}  // namespace

void read_array(const FlatEntry& entry, const ArraySchema& array, ParamValues& values) {
  const std::string& file = entry.key_where.file;
  const SourceLocation where = location_of(*entry.node, file);
  const toml::array* elements = entry.node->as_array();
  if (!elements)
    fail(where, array.prefix,
         "expected an array of tables ([[" + array.prefix + "]]), got " + node_text(*entry.node));
  for (std::size_t i = 0; i < elements->size(); ++i)
    read_element((*elements)[i], array.prefix + "." + std::to_string(i), array, file, values);
  const SourceLocation count_where = elements->empty() ? where : location_of((*elements)[0], file);
  values.set(array.prefix, static_cast<std::int64_t>(elements->size()), count_where);
}

std::optional<ParamSpec> element_spec(const std::string& path, const SchemaIndex& index,
                                      const ParamValues& values, const SourceLocation& where) {
  const ArraySchema* array = index.array_of(path);
  if (!array) return std::nullopt;
  const std::string& prefix = array->prefix;
  if (path.size() == prefix.size())
    fail(where, path,
         "is an array of tables: neither its count nor whole elements can be set, only keys of "
         "existing elements (" +
             prefix + ".N.KEY)");
  const std::string rest = path.substr(prefix.size() + 1);
  const auto dot = rest.find('.');
  const std::string key = dot == std::string::npos ? "" : rest.substr(dot + 1);
  const std::optional<std::size_t> number = element_number(rest.substr(0, dot));
  if (!number) fail(where, path, "expected an element number (" + prefix + ".N.KEY)");
  const auto count = static_cast<std::size_t>(values.get_int(prefix));
  if (*number >= count)
    fail(
        where, path,
        "no element " + std::to_string(*number) + " (the array has " + std::to_string(count) + ")");
  const std::string head = prefix + "." + std::to_string(*number);
  const SchemaIndex element_index(array->specs);
  const ParamSpec* spec = element_index.find(key);
  if (!spec && (key.empty() || element_index.is_table(key)))
    fail(where, path, "is a table, not a key");
  if (!spec) fail(where, path, unknown_key_message(key, element_index, {}, head + "."));
  return at_path(*spec, head + "." + key);
}

}  // namespace marketsim::scenario_internal
