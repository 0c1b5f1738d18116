// Scenario files: TOML text -> validated parameter values for each cell of an experiment.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/param.h"

namespace marketsim {

// One cell of an experiment: a named, complete and validated set of parameter values (every
// schema key present, defaults filled in) plus the overrides that distinguish it from the base.
struct CellSpec {
  std::string name;
  ParamValues values;
  std::vector<std::pair<std::string, ParamValue>> overrides;  // in application order
};

// One arm of an A/B experiment ([[arms]]): the experiment ([[experiments]] name) it belongs to,
// its name, its relative traffic weight, and the recommender keys it sets over the cell's values
// (an arm that sets nothing serves the cell's own configuration: an A/A arm). The first arm of an
// experiment is its control.
struct ArmSpec {
  std::string experiment;
  std::string name;
  double weight = 1.0;
  std::vector<double> shares;  // per rollout stage: the arm's share of all units (empty: weighted)
  std::vector<std::pair<std::string, ParamValue>> overrides;  // recommender.* keys, file order
  std::vector<SourceLocation> override_where;                 // where each override was written
  SourceLocation where;                                       // the [[arms]] table
};

// A target policy of off-policy evaluation ([[ope]]): its name and the recommender keys it sets
// over the cell's values.
struct OpeTargetSpec {
  std::string name;
  std::vector<std::pair<std::string, ParamValue>> overrides;  // recommender.* keys, file order
  std::vector<SourceLocation> override_where;
  SourceLocation where;  // the [[ope]] table
};

// A loaded scenario: what was read, what was overridden, and the cells it expands into.
struct Scenario {
  std::string path;                        // as given on the command line
  std::string text;                        // the file's text as read
  std::vector<std::string> overrides;      // the --set texts, in order
  ParamValues base;                        // file + --set overrides, defaults filled in
  std::vector<CellSpec> cells;             // at least one; "base" when the file declares none
  std::vector<ArmSpec> arms;               // of every experiment, in file order
  std::vector<OpeTargetSpec> ope_targets;  // in file order
};

// Keys that describe the whole run and may not differ between cells (the seed, the replication
// count, the evaluation objective, whether models are evaluated, and the names of A/B
// experiments).
bool is_experiment_wide(const std::string& path);

// Parses `text` (the content of `path`) against `schema`, applies `overrides` ("key.path=value")
// and expands [[cells]] and [sweep] into cells. Throws UsageError whose message is one line
// "FILE:LINE:COL: KEY.PATH: message" for unparsable TOML, wrong types, out-of-range values,
// unknown keys (with "did you mean" when a close key exists) and missing required keys.
//
// Arrays of tables: specs whose path has one "[]" segment ("partners.flash_sales[].start_h")
// declare the keys of the elements of the array "partners.flash_sales", written in the file as
// [[partners.flash_sales]] blocks or an inline array of tables. Element i's key k is stored at
// "partners.flash_sales.i.k" (defaults filled in) and the element count, an int, at
// "partners.flash_sales" (0 when the file has none). Overrides, cells and sweeps may set keys of
// existing elements ("partners.flash_sales.0.start_h"), never the count or whole elements. A
// schema with arrays inside arrays, or whose array is also a key or a table, throws
// std::logic_error.
Scenario parse_scenario(std::string_view text, const std::string& path,
                        const std::vector<std::string>& overrides,
                        const std::vector<ParamSpec>& schema);

// Reads the file at `path` and calls parse_scenario. A missing or unreadable file is a UsageError.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides,
                       const std::vector<ParamSpec>& schema);

// The fully resolved scenario as TOML: every base key with its value, then the elements of each
// array of tables as [[PREFIX]] blocks, then one [[cells]] entry per cell with its overrides.
// Parsing it back gives the same cells.
std::string resolved_toml(const Scenario& scenario, const std::vector<ParamSpec>& schema);

// The reference of every key as Markdown tables (one per top-level section): key, type, default,
// range, units, description. Element keys are shown as declared ("drift[].target"), in the
// section of their array. docs/scenario.md embeds this text verbatim.
std::string schema_markdown(const std::vector<ParamSpec>& schema);

}  // namespace marketsim
