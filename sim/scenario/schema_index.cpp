// Which keys a scenario may contain, and the closest valid key for a misspelt one.
#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "sim/scenario/scenario_internal.h"

namespace marketsim::scenario_internal {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', start)) {
    parts.push_back(path.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(path.substr(start));
  return parts;
}

// Splits "PREFIX[].KEY" into its prefix and element key; nullopt for a path without "[]".
std::optional<std::pair<std::string, std::string>> split_array_path(const std::string& path) {
  const auto marker = path.find("[]");
  if (marker == std::string::npos) {
    if (path.find_first_of("[]") != std::string::npos)
      throw std::logic_error("scenario schema: misplaced [ or ] in " + path);
    return std::nullopt;
  }
  const std::string prefix = path.substr(0, marker);
  const std::string key = path.substr(std::min(marker + 3, path.size()));
  if (path.find("[]", marker + 2) != std::string::npos)
    throw std::logic_error("scenario schema: arrays inside arrays are not supported: " + path);
  if (prefix.empty() || key.empty() || path.compare(marker, 3, "[].") != 0 ||
      prefix.find_first_of("[]") != std::string::npos ||
      key.find_first_of("[]") != std::string::npos)
    throw std::logic_error("scenario schema: expected PREFIX[].KEY, got " + path);
  return std::make_pair(prefix, key);
}

void add_parents(const std::string& path, std::set<std::string>& tables) {
  for (std::size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', dot + 1))
    tables.insert(path.substr(0, dot));
}

}  // namespace

SchemaIndex::SchemaIndex(const std::vector<ParamSpec>& schema) {
  for (const ParamSpec& spec : schema) {
    const auto array_path = split_array_path(spec.path);
    if (!array_path) {
      keys_.emplace(spec.path, plain_.size());
      plain_.push_back(spec);
      names_.push_back(spec.path);
      continue;
    }
    // Named copies, not a structured binding: clang 14 cannot capture one in a lambda.
    const std::string& prefix = array_path->first;
    const std::string& key = array_path->second;
    auto array = std::find_if(arrays_.begin(), arrays_.end(),
                              [&](const ArraySchema& a) { return a.prefix == prefix; });
    if (array == arrays_.end()) {
      array = arrays_.insert(arrays_.end(), ArraySchema{prefix, {}});
      names_.push_back(prefix);
    }
    ParamSpec element = spec;
    element.path = key;
    array->specs.push_back(std::move(element));
  }
  for (const std::string& name : names_) add_parents(name, tables_);
  for (const ArraySchema& array : arrays_)
    if (keys_.count(array.prefix) || tables_.count(array.prefix))
      throw std::logic_error("scenario schema: " + array.prefix +
                             " is an array of tables and also a key or a table");
}

const ParamSpec* SchemaIndex::find(const std::string& path) const {
  auto it = keys_.find(path);
  return it == keys_.end() ? nullptr : &plain_[it->second];
}

bool SchemaIndex::is_table(const std::string& path) const { return tables_.count(path) != 0; }

std::vector<std::string> SchemaIndex::children(const std::string& prefix) const {
  const std::string head = prefix.empty() ? "" : prefix + ".";
  std::vector<std::string> names;
  for (const std::string& path : names_) {
    if (path.compare(0, head.size(), head) != 0) continue;
    const std::string rest = path.substr(head.size());
    std::string name = rest.substr(0, rest.find('.'));
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

const ArraySchema* SchemaIndex::array_of(const std::string& path) const {
  for (const ArraySchema& array : arrays_) {
    const std::string& prefix = array.prefix;
    if (path.compare(0, prefix.size(), prefix) == 0 &&
        (path.size() == prefix.size() || path[prefix.size()] == '.'))
      return &array;
  }
  return nullptr;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  std::iota(d[0].begin(), d[0].end(), std::size_t{0});
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    const std::size_t limit = std::max<std::size_t>(2, candidate.size() / 3);
    // The distance is at least the difference in length: skip the quadratic computation.
    const std::size_t longer = std::max(word.size(), candidate.size());
    if (longer - std::min(word.size(), candidate.size()) > limit) continue;
    const std::size_t distance = edit_distance(word, candidate);
    if (distance <= limit && (!best || distance < best_distance)) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string unknown_key_message(const std::string& path, const SchemaIndex& index,
                                const std::vector<std::string>& also_top,
                                const std::string& shown_prefix) {
  const std::vector<std::string> parts = split_path(path);
  std::string prefix;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string here = prefix.empty() ? parts[i] : prefix + "." + parts[i];
    if (index.find(here) || index.is_table(here) || index.array_of(here)) {
      prefix = here;
      continue;
    }
    std::vector<std::string> candidates = index.children(prefix);
    if (i == 0) candidates.insert(candidates.end(), also_top.begin(), also_top.end());
    const auto name = closest(parts[i], candidates);
    if (!name) break;
    std::string suggestion = prefix.empty() ? *name : prefix + "." + *name;
    std::string full = suggestion;
    for (std::size_t j = i + 1; j < parts.size(); ++j) full += "." + parts[j];
    if (index.find(full) || index.is_table(full)) suggestion = full;
    return "unknown key (did you mean \"" + shown_prefix + suggestion + "\"?)";
  }
  return "unknown key";
}

}  // namespace marketsim::scenario_internal
