// check_toml_bounds: deep dotted keys are refused at their position; dots in values, strings and
// comments do not count.
#include <catch2/catch.hpp>

#include <string>

#include "sim/core/error.h"
#include "sim/scenario/scenario_internal.h"

using marketsim::UsageError;
using marketsim::scenario_internal::check_toml_bounds;
using marketsim::scenario_internal::kMaxKeyParts;

namespace {

std::string dotted(int parts) {
  std::string key = "k";
  for (int i = 1; i < parts; ++i) key += ".k";
  return key;
}

// "KEY = 1" and "[KEY]" lines (appended piece by piece: GCC 12 warns falsely on literal + string).
std::string assignment(int parts) {
  std::string line = dotted(parts);
  line += " = 1\n";
  return line;
}

std::string header(int parts) {
  std::string line = "[";
  line += dotted(parts);
  line += "]\n";
  return line;
}

// A line with `text` inside `open`/`close`.
std::string wrapped(const char* open, const std::string& text, const char* close) {
  std::string line = open;
  line += text;
  line += close;
  return line;
}

}  // namespace

TEST_CASE("keys up to the bound pass, deeper ones fail at their position", "[scenario]") {
  static_assert(kMaxKeyParts == 64, "the expected message below spells the bound out");
  CHECK_NOTHROW(check_toml_bounds(assignment(kMaxKeyParts + 1), "f.toml"));
  CHECK_NOTHROW(check_toml_bounds(header(kMaxKeyParts + 1), "f.toml"));
  CHECK_THROWS_WITH(
      check_toml_bounds(wrapped("a = 1\n", assignment(kMaxKeyParts + 2), ""), "f.toml"),
      "f.toml:2:130: a key with more than 64 dotted parts");
  CHECK_THROWS_AS(check_toml_bounds(header(kMaxKeyParts + 2), "f.toml"), UsageError);
}

TEST_CASE("dots in values, strings and comments are not key parts", "[scenario]") {
  std::string floats = "x = [";
  for (int i = 0; i < 3 * kMaxKeyParts; ++i) floats += "1.5, ";
  floats += "2.5]\n";
  CHECK_NOTHROW(check_toml_bounds(floats, "f.toml"));
  const std::string many_dots(3 * kMaxKeyParts, '.');
  CHECK_NOTHROW(check_toml_bounds(wrapped("name = \"", many_dots, "\"\n"), "f.toml"));
  CHECK_NOTHROW(check_toml_bounds(wrapped("name = 'a\\", many_dots, "'\n"), "f.toml"));
  CHECK_NOTHROW(check_toml_bounds(wrapped("\"", many_dots, "\" = 1\n"), "f.toml"));
  CHECK_NOTHROW(check_toml_bounds(wrapped("x = 1 # ", many_dots, "\n"), "f.toml"));
  CHECK_NOTHROW(check_toml_bounds(wrapped("s = \"\\\"", many_dots, "\"\n"), "f.toml"));
}
