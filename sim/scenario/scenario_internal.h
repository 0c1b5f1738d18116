// Private helpers shared by the scenario loader's source files; not part of the public API.
#pragma once

#ifndef TOML_HEADER_ONLY
#define TOML_HEADER_ONLY 0
#endif
#include <toml++/toml.h>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/param.h"
#include "sim/scenario/scenario.h"

namespace marketsim::scenario_internal {

// Lookup over a flat schema: specs by dotted path and the table prefixes the paths imply
// ("recommender" and "recommender.explorer" for "recommender.explorer.type").
class SchemaIndex {
 public:
  explicit SchemaIndex(const std::vector<ParamSpec>& schema);

  // The spec declared at `path`, or nullptr.
  const ParamSpec* find(const std::string& path) const;
  // True when some key lies below `path`, i.e. `path` names a table.
  bool is_table(const std::string& path) const;
  // The names one level below `prefix` ("" for the top level), in schema order, no duplicates.
  std::vector<std::string> children(const std::string& prefix) const;

 private:
  const std::vector<ParamSpec>& schema_;
  std::map<std::string, std::size_t> keys_;    // path -> index into schema_
  std::map<std::string, std::size_t> tables_;  // table path -> index of its first key
};

// Optimal-string-alignment (Damerau-Levenshtein) distance between two strings.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` within distance max(2, candidate length / 3), earliest on
// ties, or nullopt.
std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates);

// "unknown key", plus ` (did you mean "X"?)` when a schema key or table (or one of `also_top`,
// other names allowed at the top level) is close to the first unknown component of `path`.
std::string unknown_key_message(const std::string& path, const SchemaIndex& index,
                                const std::vector<std::string>& also_top = {});

// Throws UsageError with param_error_message(where, path, message).
[[noreturn]] void fail(const SourceLocation& where, const std::string& path,
                       const std::string& message);

// Where a node or key starts in `file`.
SourceLocation location_of(const toml::node& node, const std::string& file);
SourceLocation location_of(const toml::key& key, const std::string& file);

// A key found in a TOML table with its dotted path. It is a schema key, an unknown key, or a
// known table given a non-table value; read_entry tells them apart.
struct FlatEntry {
  std::string path;
  const toml::node* node = nullptr;
  SourceLocation key_where;
};

// Flattens `table`: quoted dotted keys and nested tables both extend the path, and tables are
// entered only while their path is a table of the schema. Keys in `skip` are ignored at the first
// level. Entries come in file order; a path given twice is a UsageError. When `tables` is given,
// it receives the location of every schema table met.
std::vector<FlatEntry> flatten(const toml::table& table, const SchemaIndex& index,
                               const std::string& file, const std::vector<std::string>& skip = {},
                               std::map<std::string, SourceLocation>* tables = nullptr);

// The spec of `entry`; throws "unknown key" (with did-you-mean, also among `also_top` at the top
// level) or "expected a table".
const ParamSpec& spec_of(const FlatEntry& entry, const SchemaIndex& index,
                         const std::vector<std::string>& also_top = {});

// Converts a node to a value of `kind` (integers widen to float); nullopt when it cannot be one.
std::optional<ParamValue> to_param_value(const toml::node& node, ParamKind kind);

// A node as TOML-like text for messages: 3, "abc", [1, "x"], a table.
std::string node_text(const toml::node& node);

// "expected KIND, got TEXT": the message for a value that has no ParamValue of the right kind.
std::string expected_message(ParamKind kind, const std::string& got);

// Converts and checks a node against `spec`; throws the one-line error at `where` otherwise.
ParamValue read_value(const toml::node& node, const ParamSpec& spec, const SourceLocation& where);

// Applies one "--set key.path=value" text to `base`.
void apply_override(const std::string& text, const SchemaIndex& index, ParamValues& base);

// Reads [[cells]] and [sweep] from the file's root table and expands them over `base`.
std::vector<CellSpec> expand_cells(const toml::table& root, const ParamValues& base,
                                   const SchemaIndex& index, const std::string& file);

}  // namespace marketsim::scenario_internal
