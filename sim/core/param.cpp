#include "sim/core/param.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "sim/core/error.h"

namespace marketsim {
namespace {

std::string format_number(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  std::ostringstream out;
  out.precision(15);
  out << x;
  std::string s = out.str();
  if (s.find_first_of(".eE") == std::string::npos && std::isfinite(x)) s += ".0";
  return s;
}

std::string format_bound(double x) {
  std::string s = format_number(x);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

// "[min, max]" for messages and docs.
std::string interval(double min, double max) {
  std::string s = "[";
  s.append(format_bound(min)).append(", ").append(format_bound(max)).append("]");
  return s;
}

}  // namespace

const char* kind_name(ParamKind kind) {
  switch (kind) {
    case ParamKind::kInt:
      return "int";
    case ParamKind::kReal:
      return "float";
    case ParamKind::kBool:
      return "bool";
    case ParamKind::kString:
      return "string";
    case ParamKind::kChoice:
      return "choice";
    case ParamKind::kRealList:
      return "float list";
  }
  return "?";
}

ParamSpec ParamSpec::integer(std::string path, std::int64_t def, double min, double max,
                             std::string description, std::string units) {
  ParamSpec s;
  s.path = std::move(path);
  s.kind = ParamKind::kInt;
  s.default_value = def;
  s.min = min;
  s.max = max;
  s.description = std::move(description);
  s.units = std::move(units);
  return s;
}

ParamSpec ParamSpec::real(std::string path, double def, double min, double max,
                          std::string description, std::string units) {
  ParamSpec s = integer(std::move(path), 0, min, max, std::move(description), std::move(units));
  s.kind = ParamKind::kReal;
  s.default_value = def;
  return s;
}

ParamSpec ParamSpec::boolean(std::string path, bool def, std::string description) {
  ParamSpec s;
  s.path = std::move(path);
  s.kind = ParamKind::kBool;
  s.default_value = def;
  s.description = std::move(description);
  return s;
}

ParamSpec ParamSpec::string(std::string path, std::string def, std::string description) {
  ParamSpec s;
  s.path = std::move(path);
  s.kind = ParamKind::kString;
  s.default_value = std::move(def);
  s.description = std::move(description);
  return s;
}

ParamSpec ParamSpec::choice(std::string path, std::string def, std::vector<std::string> choices,
                            std::string description) {
  ParamSpec s = string(std::move(path), std::move(def), std::move(description));
  s.kind = ParamKind::kChoice;
  s.choices = std::move(choices);
  return s;
}

ParamSpec ParamSpec::real_list(std::string path, std::vector<double> def, std::size_t length,
                               double min, double max, std::string description, std::string units) {
  ParamSpec s = real(std::move(path), 0.0, min, max, std::move(description), std::move(units));
  s.kind = ParamKind::kRealList;
  s.default_value = std::move(def);
  s.list_length = length;
  return s;
}

std::string SourceLocation::describe() const {
  if (line > 0) return file + ":" + std::to_string(line) + ":" + std::to_string(column);
  return file.empty() ? "default" : file;
}

std::string ParamValues::first_set(std::initializer_list<std::string> paths) const {
  for (const std::string& path : paths) {
    const SourceLocation& where = location(path);
    if (!where.file.empty()) return path;
  }
  return *paths.begin();
}

// `text` with control characters written as escapes (\n, \x01): a quoted TOML key or string
// may hold any of them, and an error stays one line.
std::string escape_controls(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (byte < 0x20 || byte == 0x7f) {
      constexpr char kHex[] = "0123456789abcdef";
      out += {'\\', 'x', kHex[byte >> 4], kHex[byte & 15]};
    } else {
      out += c;
    }
  }
  return out;
}

std::string param_error_message(const SourceLocation& where, const std::string& path,
                                const std::string& message) {
  // A key can be any length; an error line shows the start of a long one.
  constexpr std::size_t kShownKeyLength = 120;
  const std::string shown = path.size() <= kShownKeyLength
                                ? path
                                : path.substr(0, kShownKeyLength) + "... (" +
                                      std::to_string(path.size()) + " characters)";
  return escape_controls(where.describe() + ": " + shown + ": " + message);
}

std::string format_value(const ParamValue& value) {
  struct Formatter {
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return format_number(v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return "\"" + v + "\""; }
    std::string operator()(const std::vector<double>& v) const {
      std::string s = "[";
      for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + format_number(v[i]);
      return s + "]";
    }
  };
  return std::visit(Formatter{}, value);
}

std::string describe_range(const ParamSpec& spec) {
  switch (spec.kind) {
    case ParamKind::kInt:
    case ParamKind::kReal:
    case ParamKind::kRealList: {
      std::string range;
      if (std::isinf(spec.min) && std::isinf(spec.max)) {
        range = "any";
      } else {
        range = interval(spec.min, spec.max);
      }
      if (spec.kind == ParamKind::kRealList) {
        range = (spec.list_length ? std::to_string(spec.list_length) + " values" : "values") +
                std::string(" in ") + range;
      }
      return range;
    }
    case ParamKind::kChoice: {
      std::string s = "one of: ";
      for (std::size_t i = 0; i < spec.choices.size(); ++i) s += (i ? ", " : "") + spec.choices[i];
      return s;
    }
    case ParamKind::kBool:
    case ParamKind::kString:
      return "";
  }
  return "";
}

std::string check_value(const ParamSpec& spec, const ParamValue& value) {
  auto out_of_range = [&](double x) { return x < spec.min || x > spec.max || std::isnan(x); };
  const std::string range_text = interval(spec.min, spec.max);
  const std::string expected = std::string("expected ") + kind_name(spec.kind);
  switch (spec.kind) {
    case ParamKind::kInt: {
      const auto* v = std::get_if<std::int64_t>(&value);
      if (!v) return expected + ", got " + format_value(value);
      if (out_of_range(static_cast<double>(*v)))
        return "must be in " + range_text + ", got " + format_value(value);
      return "";
    }
    case ParamKind::kReal: {
      const auto* v = std::get_if<double>(&value);
      if (!v) return expected + ", got " + format_value(value);
      if (out_of_range(*v)) return "must be in " + range_text + ", got " + format_value(value);
      return "";
    }
    case ParamKind::kBool:
      return std::holds_alternative<bool>(value) ? "" : expected + ", got " + format_value(value);
    case ParamKind::kString:
      return std::holds_alternative<std::string>(value) ? ""
                                                        : expected + ", got " + format_value(value);
    case ParamKind::kChoice: {
      const auto* v = std::get_if<std::string>(&value);
      if (!v) return "expected string, got " + format_value(value);
      for (const auto& c : spec.choices)
        if (c == *v) return "";
      return "must be " + describe_range(spec) + ", got " + format_value(value);
    }
    case ParamKind::kRealList: {
      const auto* v = std::get_if<std::vector<double>>(&value);
      if (!v) return expected + ", got " + format_value(value);
      if (v->empty()) return "must not be empty";
      if (spec.list_length && v->size() != spec.list_length)
        return "must have " + std::to_string(spec.list_length) + " values, got " +
               std::to_string(v->size());
      for (double x : *v)
        if (out_of_range(x)) return "values must be in " + range_text + ", got " + format_number(x);
      return "";
    }
  }
  return "";
}

void ParamValues::set(const std::string& path, ParamValue value, SourceLocation where) {
  entries_[path] = Entry{std::move(value), std::move(where)};
}

const ParamValues::Entry& ParamValues::entry(const std::string& path) const {
  auto it = entries_.find(path);
  if (it == entries_.end()) throw std::logic_error("parameter not set: " + path);
  return it->second;
}

template <typename T>
static const T& get_as(const ParamValue& v, const std::string& path) {
  const T* p = std::get_if<T>(&v);
  if (!p) throw std::logic_error("parameter has another type: " + path);
  return *p;
}

std::int64_t ParamValues::get_int(const std::string& path) const {
  return get_as<std::int64_t>(entry(path).value, path);
}
double ParamValues::get_real(const std::string& path) const {
  return get_as<double>(entry(path).value, path);
}
bool ParamValues::get_bool(const std::string& path) const {
  return get_as<bool>(entry(path).value, path);
}
const std::string& ParamValues::get_string(const std::string& path) const {
  return get_as<std::string>(entry(path).value, path);
}
const std::vector<double>& ParamValues::get_real_list(const std::string& path) const {
  return get_as<std::vector<double>>(entry(path).value, path);
}
const ParamValue& ParamValues::get(const std::string& path) const { return entry(path).value; }
const SourceLocation& ParamValues::location(const std::string& path) const {
  return entry(path).where;
}

ParamValues ParamValues::subset(const std::string& prefix) const {
  ParamValues out;
  const std::string head = prefix + ".";
  for (auto it = entries_.lower_bound(head); it != entries_.end(); ++it) {
    if (it->first.compare(0, head.size(), head) != 0) break;
    out.entries_.emplace(it->first.substr(head.size()), it->second);
  }
  out.prefix_ = prefix_ + head;
  return out;
}

void ParamValues::fail(const std::string& path, const std::string& message) const {
  auto it = entries_.find(path);
  const SourceLocation where = it == entries_.end() ? SourceLocation{} : it->second.where;
  throw UsageError(param_error_message(where, prefix_ + path, message));
}

void append_section(std::vector<ParamSpec>& schema, const std::string& section,
                    std::vector<ParamSpec> specs) {
  for (ParamSpec& spec : specs) {
    spec.path = section + "." + spec.path;
    schema.push_back(std::move(spec));
  }
}

ParamValues defaults_of(const std::vector<ParamSpec>& specs) {
  ParamValues values;
  for (const auto& spec : specs) {
    const auto array = spec.path.find("[]");
    if (array != std::string::npos) {
      values.set(spec.path.substr(0, array), std::int64_t{0});  // arrays start empty
    } else if (spec.default_value) {
      values.set(spec.path, *spec.default_value);
    }
  }
  return values;
}

}  // namespace marketsim
