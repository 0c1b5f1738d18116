// Private helpers shared by the scenario loader's source files; not part of the public API.
#pragma once

#ifndef TOML_HEADER_ONLY
#define TOML_HEADER_ONLY 0
#endif
#include <toml++/toml.h>

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/param.h"
#include "sim/scenario/scenario.h"

namespace marketsim::scenario_internal {

// The element schema of one array of tables: the specs declared as "PREFIX[].KEY", with paths
// relative to an element ("start_h" for "partners.flash_sales[].start_h").
struct ArraySchema {
  std::string prefix;            // "partners.flash_sales"
  std::vector<ParamSpec> specs;  // element keys in schema order
};

// Lookup over a flat schema: specs by dotted path, the table prefixes the paths imply
// ("recommender" and "recommender.explorer" for "recommender.explorer.type") and the arrays of
// tables declared with a "[]" segment marker. The constructor throws std::logic_error for a
// malformed schema: a path with more than one "[]" (arrays inside arrays), a misplaced "[]", or
// an array prefix that is also a key or a table.
class SchemaIndex {
 public:
  explicit SchemaIndex(const std::vector<ParamSpec>& schema);

  // The plain (non-array) spec declared at `path`, or nullptr.
  const ParamSpec* find(const std::string& path) const;
  // True when some plain key or array lies below `path`, i.e. `path` names a table.
  bool is_table(const std::string& path) const;
  // The names one level below `prefix` ("" for the top level), in schema order, no duplicates;
  // an array counts as one name.
  std::vector<std::string> children(const std::string& prefix) const;
  // The array whose prefix is `path` or lies above it ("partners.flash_sales.0.start_h"), or
  // nullptr.
  const ArraySchema* array_of(const std::string& path) const;

  // The specs that are not array keys, in schema order.
  const std::vector<ParamSpec>& plain() const { return plain_; }
  // The arrays of tables in the order of their first key in the schema.
  const std::vector<ArraySchema>& arrays() const { return arrays_; }

 private:
  std::vector<ParamSpec> plain_;
  std::vector<ArraySchema> arrays_;
  std::vector<std::string> names_;           // plain paths and array prefixes, schema order
  std::map<std::string, std::size_t> keys_;  // path -> index into plain_
  std::set<std::string> tables_;
};

// Optimal-string-alignment (Damerau-Levenshtein) distance between two strings.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` within distance max(2, candidate length / 3), earliest on
// ties, or nullopt.
std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates);

// "unknown key", plus ` (did you mean "X"?)` when a schema key or table (or one of `also_top`,
// other names allowed at the top level) is close to the first unknown component of `path`.
// `shown_prefix` is put before the suggestion, e.g. "drift.0." when `index` is an element schema.
std::string unknown_key_message(const std::string& path, const SchemaIndex& index,
                                const std::vector<std::string>& also_top = {},
                                const std::string& shown_prefix = "");

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
// entered only while their path is a table of the schema, or, with `enter_arrays`, an array of
// tables or below one (so that `partners.flash_sales.0.start_h = 1` in a cell's `set` is one
// element key). Keys in `skip` are ignored at the first level. Entries come in file order; a path
// given twice is a UsageError. When `tables` is given, it receives the location of every schema
// table met.
std::vector<FlatEntry> flatten(const toml::table& table, const SchemaIndex& index,
                               const std::string& file, const std::vector<std::string>& skip = {},
                               std::map<std::string, SourceLocation>* tables = nullptr,
                               bool enter_arrays = false);

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

// Reads the array of tables at `entry` (whose path is array.prefix) into `values`: element i's
// key k at "PREFIX.i.k", defaults filled in, and the element count (int) at "PREFIX", located at
// the first element. Throws for a value that is not an array of tables and for unknown,
// ill-typed, out-of-range or missing required keys of an element, each at its position.
void read_array(const FlatEntry& entry, const ArraySchema& array, ParamValues& values);

// For a `path` under an array of tables, the spec of that key of an existing element with the
// path in canonical form ("partners.flash_sales.0.start_h"); nullopt for any other path. Throws at
// `where` for the array itself (neither its count nor whole elements can be set), an element
// number that is malformed or that `values` lacks ("no element 3 (the array has 2)"), and an
// unknown element key.
std::optional<ParamSpec> element_spec(const std::string& path, const SchemaIndex& index,
                                      const ParamValues& values, const SourceLocation& where);

// Applies one "--set key.path=value" text to `base`.
void apply_override(const std::string& text, const SchemaIndex& index, ParamValues& base);

// Reads [[cells]] and [sweep] from the file's root table and expands them over `base`. Cells and
// sweeps may set keys of the elements `base` has.
std::vector<CellSpec> expand_cells(const toml::table& root, const ParamValues& base,
                                   const SchemaIndex& index, const std::string& file);

// Reads [[arms]] from the file's root table and checks them against the [[experiments]] of
// `base` ("experiments.N.name"): every arm names a declared experiment, arm names are valid and
// distinct within their experiment, each experiment has at least two arms, arms set only
// recommender keys, and no key is set by the arms of two experiments (their layers would not be
// orthogonal).
std::vector<ArmSpec> read_arms(const toml::table& root, const ParamValues& base,
                               const SchemaIndex& index, const std::string& file);

// Reads the `set` table of an arm or an off-policy target at `node`: recommender.* keys only,
// each checked against the schema, appended in file order to `overrides` (and their positions to
// `where`). `path` names the table in messages ("arms.set").
void read_recommender_set(const toml::node& node, const SchemaIndex& index, const std::string& file,
                          const std::string& path,
                          std::vector<std::pair<std::string, ParamValue>>& overrides,
                          std::vector<SourceLocation>& where);

// Reads [[ope]]: the target policies of off-policy evaluation, each a name (valid, unique) and
// a set of recommender keys.
std::vector<OpeTargetSpec> read_ope_targets(const toml::table& root, const SchemaIndex& index,
                                            const std::string& file);

// True when `name` is usable as a group name in the output: [A-Za-z0-9_.=+-]+.
bool valid_name(const std::string& name);

// The `name` of a [[cells]], [[arms]] or [[ope]] table at `value`: a string that valid_name
// accepts; otherwise throws at its position naming `path` ("cells.name").
std::string read_name(const toml::node& value, const std::string& path, const std::string& file);

// Throws "unknown key" at `key` of the file's own table `table` ("cells"), with a suggestion
// among its `keys` when one is close.
[[noreturn]] void fail_unknown(const toml::key& key, const std::string& table,
                               const std::vector<std::string>& keys, const std::string& file);

// The most dotted parts a key or table header may have (schema keys have at most 5).
inline constexpr int kMaxKeyParts = 64;

// Throws UsageError "FILE:LINE:COL: ..." when a key or table header of `text` has more than
// kMaxKeyParts dotted parts: toml++ parses them recursively, and tens of thousands overflow the
// stack. A scan of the text, run before toml++ sees it.
void check_toml_bounds(std::string_view text, const std::string& path);

}  // namespace marketsim::scenario_internal
