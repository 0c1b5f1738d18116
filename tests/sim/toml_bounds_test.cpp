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

}  // namespace

TEST_CASE("keys up to the bound pass, deeper ones fail at their position", "[scenario]") {
  CHECK_NOTHROW(check_toml_bounds(dotted(kMaxKeyParts + 1) + " = 1\n", "f.toml"));
  CHECK_NOTHROW(check_toml_bounds("[" + dotted(kMaxKeyParts + 1) + "]\n", "f.toml"));
  CHECK_THROWS_WITH(check_toml_bounds("a = 1\n" + dotted(kMaxKeyParts + 2) + " = 1\n", "f.toml"),
                    "f.toml:2:" + std::to_string(2 * kMaxKeyParts + 2) + ": a key with more than " +
                        std::to_string(kMaxKeyParts) + " dotted parts");
  CHECK_THROWS_AS(check_toml_bounds("[" + dotted(kMaxKeyParts + 2) + "]\n", "f.toml"), UsageError);
}

TEST_CASE("dots in values, strings and comments are not key parts", "[scenario]") {
  std::string floats = "x = [";
  for (int i = 0; i < 3 * kMaxKeyParts; ++i) floats += "1.5, ";
  floats += "2.5]\n";
  CHECK_NOTHROW(check_toml_bounds(floats, "f.toml"));
  const std::string many_dots(3 * kMaxKeyParts, '.');
  CHECK_NOTHROW(check_toml_bounds("name = \"" + many_dots + "\"\n", "f.toml"));
  CHECK_NOTHROW(check_toml_bounds("name = 'a\\" + many_dots + "'\n", "f.toml"));
  CHECK_NOTHROW(check_toml_bounds("\"" + many_dots + "\" = 1\n", "f.toml"));
  CHECK_NOTHROW(check_toml_bounds("x = 1 # " + many_dots + "\n", "f.toml"));
  CHECK_NOTHROW(check_toml_bounds("s = \"\\\"" + many_dots + "\"\n", "f.toml"));
}
