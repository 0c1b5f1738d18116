// Declared parameters and their values: the single description of every configurable number.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace marketsim {

// The type of a parameter as written in a scenario file.
enum class ParamKind { kInt, kReal, kBool, kString, kChoice, kRealList };

// Name of a kind for messages and docs: "int", "float", "bool", "string", "choice", "float list".
const char* kind_name(ParamKind kind);

// A parameter value. kInt holds int64, kReal double, kBool bool, kString and kChoice std::string,
// kRealList std::vector<double>.
using ParamValue = std::variant<std::int64_t, double, bool, std::string, std::vector<double>>;

// One declared parameter: name, type, default, bounds and a description. Components and the
// scenario schema declare each parameter once; validation, `marketsim list` and docs/scenario.md
// are all derived from the declaration.
struct ParamSpec {
  std::string path;  // dotted key, e.g. "epsilon" in a component or "users.count" in the schema
  ParamKind kind = ParamKind::kReal;
  std::optional<ParamValue> default_value;                // absent: the key is required
  double min = -std::numeric_limits<double>::infinity();  // kInt, kReal and kRealList elements
  double max = std::numeric_limits<double>::infinity();
  std::vector<std::string> choices;  // kChoice: the allowed strings
  std::size_t list_length = 0;       // kRealList: required length, 0 for any non-empty length
  std::string units;                 // e.g. "h", "USD", "" for dimensionless
  std::string description;           // one line

  static ParamSpec integer(std::string path, std::int64_t def, double min, double max,
                           std::string description, std::string units = "");
  static ParamSpec real(std::string path, double def, double min, double max,
                        std::string description, std::string units = "");
  static ParamSpec boolean(std::string path, bool def, std::string description);
  static ParamSpec string(std::string path, std::string def, std::string description);
  static ParamSpec choice(std::string path, std::string def, std::vector<std::string> choices,
                          std::string description);
  static ParamSpec real_list(std::string path, std::vector<double> def, std::size_t length,
                             double min, double max, std::string description,
                             std::string units = "");
};

// Where a value came from: a scenario file position, a --set override or the declared default.
struct SourceLocation {
  std::string file;  // file path, or "--set KEY=VALUE" for overrides, or "" for defaults
  int line = 0;      // 1-based; 0 when not from a file
  int column = 0;

  // "FILE:LINE:COL" for file positions, the override text for overrides, "default" otherwise.
  std::string describe() const;
};

// `text` with control characters written as escapes (\n, \x01), so that an error stays one line.
std::string escape_controls(const std::string& text);

// Formats the one-line error for a bad value: "FILE:LINE:COL: KEY.PATH: message".
std::string param_error_message(const SourceLocation& where, const std::string& path,
                                const std::string& message);

// Checks `value` against `spec` (type, bounds, choices, list length). Returns an empty string
// when valid, otherwise the message part of the error, e.g. "must be in [0, 1], got 1.5".
std::string check_value(const ParamSpec& spec, const ParamValue& value);

// Renders a value as it would be written in TOML: 3, 0.5, true, "greedy", [1.0, 0.5].
std::string format_value(const ParamValue& value);

// Renders the allowed range of a spec for docs and messages, e.g. "[0, 1]", "one of: a, b", "".
std::string describe_range(const ParamSpec& spec);

// A validated set of parameter values keyed by dotted path, each with where it came from.
// Getters throw std::logic_error on a missing key or a kind mismatch: both are programming errors
// once validation has passed.
class ParamValues {
 public:
  struct Entry {
    ParamValue value;
    SourceLocation where;
  };

  void set(const std::string& path, ParamValue value, SourceLocation where = {});
  bool contains(const std::string& path) const { return entries_.count(path) != 0; }

  std::int64_t get_int(const std::string& path) const;
  double get_real(const std::string& path) const;
  bool get_bool(const std::string& path) const;
  const std::string& get_string(const std::string& path) const;  // kString and kChoice
  const std::vector<double>& get_real_list(const std::string& path) const;
  const ParamValue& get(const std::string& path) const;
  const SourceLocation& location(const std::string& path) const;

  // The entries under "prefix." with the prefix removed: a component's own parameters. Errors
  // raised through the subset still name the full path.
  ParamValues subset(const std::string& prefix) const;

  // Of `paths` (keys that are invalid together), the first whose value the scenario or an
  // override set, else the first: the key an error about the combination should name.
  std::string first_set(std::initializer_list<std::string> paths) const;

  // Throws UsageError "FILE:LINE:COL: FULL.PATH: message" for a value that passed its own checks
  // but is invalid in combination with others (e.g. shares that sum to zero).
  [[noreturn]] void fail(const std::string& path, const std::string& message) const;

  const std::map<std::string, Entry>& entries() const { return entries_; }

 private:
  const Entry& entry(const std::string& path) const;

  std::map<std::string, Entry> entries_;
  std::string prefix_;  // "" or "section." when this is a subset
};

// Fills a ParamValues with every declared default (specs without a default are skipped). Keys of
// arrays of tables ("a[].k") contribute an empty array: the count entry "a" = 0.
ParamValues defaults_of(const std::vector<ParamSpec>& specs);

// Appends `specs` to `schema` with "section." prefixed to each path.
void append_section(std::vector<ParamSpec>& schema, const std::string& section,
                    std::vector<ParamSpec> specs);

}  // namespace marketsim
