// Scenario loader: arrays of tables ([[prefix]]), their storage, overrides, rendering and schema.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "tests/sim/scenario_test_support.h"

namespace marketsim {
namespace {

using namespace scenario_test;

const std::string kSales = kMinimal +
                           "\n[[market.flash_sales]]\nstart_h = 30.0\nduration_h = 3\n"
                           "\n[[market.flash_sales]]\nstart_h = 50\nmultiplier = 5\n";

Scenario parse_arrays(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return parse(text, overrides, array_schema());
}

std::string array_error_of(const std::string& text,
                           const std::vector<std::string>& overrides = {}) {
  return error_of(text, overrides, array_schema());
}

TEST_CASE("scenario arrays: elements and their defaults are stored by index, with the count") {
  const Scenario s = parse_arrays(kSales);
  CHECK(s.base.get_int("market.flash_sales") == 2);
  CHECK(s.base.location("market.flash_sales").describe() == "s.toml:4:1");
  const ParamValues market = s.base.subset("market");
  CHECK(market.get_int("flash_sales") == 2);
  const ParamValues first = market.subset("flash_sales.0");
  CHECK(first.get_real("start_h") == 30.0);
  CHECK(first.get_real("duration_h") == 3.0);
  CHECK(first.get_real("multiplier") == 2.0);
  CHECK(first.location("multiplier").file.empty());
  CHECK(s.base.location("market.flash_sales.1.start_h").describe() == "s.toml:9:11");
  CHECK(s.base.get_real("market.flash_sales.1.duration_h") == 1.0);
  CHECK(s.base.get_real("market.flash_sales.1.multiplier") == 5.0);
  CHECK_FALSE(s.base.contains("market.flash_sales.2.start_h"));
  CHECK(s.base.get_int("drift") == 0);
  CHECK(s.base.location("drift").file.empty());
  CHECK(s.cells[0].values.get_real("market.flash_sales.1.multiplier") == 5.0);
  for (const auto& [path, entry] : s.base.entries()) CHECK(path.find('[') == std::string::npos);
}

TEST_CASE("scenario arrays: element keys are validated with their positions") {
  CHECK(array_error_of(kSales + "[[market.flash_sales]]\nstrat_h = 5\n") ==
        "s.toml:12:1: market.flash_sales.2.strat_h: unknown key (did you mean "
        "\"market.flash_sales.2.start_h\"?)");
  CHECK(array_error_of(kSales + "[[drfit]]\ntarget = \"a\"\n") ==
        "s.toml:11:3: drfit: unknown key (did you mean \"drift\"?)");
  CHECK(array_error_of(kMinimal + "[[drift]]\ntarget = \"a\"\n[[drift]]\nkind = \"gradual\"\n") ==
        "s.toml:5:1: drift.1.target: missing required key");
  CHECK(array_error_of(kMinimal + "[[drift]]\ntarget = \"a\"\n[[drift]]\ntarget = \"b\"\n"
                                  "delta = \"x\"\n") ==
        "s.toml:7:9: drift.1.delta: expected float, got \"x\"");
  CHECK(array_error_of(kSales + "[[market.flash_sales]]\nstart_h = 1\nmultiplier = 20\n") ==
        "s.toml:13:14: market.flash_sales.2.multiplier: must be in [1, 10], got 20.0");
  CHECK(array_error_of(kMinimal + "[market.flash_sales]\nstart_h = 1\n") ==
        "s.toml:3:1: market.flash_sales: expected an array of tables ([[market.flash_sales]]), "
        "got a table");
  CHECK(array_error_of("drift = 3\n" + kMinimal) ==
        "s.toml:1:9: drift: expected an array of tables ([[drift]]), got 3");
}

TEST_CASE("scenario arrays: the inline form reads the same") {
  const Scenario s = parse_arrays(
      "drift = [{ target = \"x\", delta = -0.5 }]\n" + kMinimal +
      "flash_sales = [ { start_h = 30.0, duration_h = 3 }, { start_h = 50, multiplier = 5 } ]\n");
  CHECK(s.base.get_int("drift") == 1);
  CHECK(s.base.get_string("drift.0.kind") == "sudden");
  CHECK(s.base.get_real("drift.0.delta") == -0.5);
  const ParamValues block_form = parse_arrays(kSales).base.subset("market");
  for (const auto& [path, entry] : block_form.entries())
    CHECK(s.base.get("market." + path) == entry.value);
  CHECK(parse_arrays(kMinimal + "flash_sales = []\n").base.get_int("market.flash_sales") == 0);
  CHECK(array_error_of(kMinimal +
                       "flash_sales = [{ start_h = 1 }, { start_h = 2, multplier = 3 }]\n") ==
        "s.toml:3:48: market.flash_sales.1.multplier: unknown key (did you mean "
        "\"market.flash_sales.1.multiplier\"?)");
  CHECK(array_error_of(kMinimal + "flash_sales = [{ start_h = 1 }, 2]\n") ==
        "s.toml:3:33: market.flash_sales.1: expected a table, got 2");
  CHECK(array_error_of(kMinimal + "flash_sales = [{ duration_h = 1 }]\n") ==
        "s.toml:3:16: market.flash_sales.0.start_h: missing required key");
}

TEST_CASE("scenario arrays: --set reaches keys of existing elements only") {
  const Scenario s = parse_arrays(kSales, {"market.flash_sales.0.multiplier=8"});
  CHECK(s.base.get_real("market.flash_sales.0.multiplier") == 8.0);
  CHECK(s.base.location("market.flash_sales.0.multiplier").describe() ==
        "--set market.flash_sales.0.multiplier=8");
  CHECK(array_error_of(kSales, {"market.flash_sales.3.multiplier=8"}) ==
        "--set market.flash_sales.3.multiplier=8: market.flash_sales.3.multiplier: no element 3 "
        "(the array has 2)");
  CHECK(array_error_of(kMinimal, {"drift.0.delta=1"}) ==
        "--set drift.0.delta=1: drift.0.delta: no element 0 (the array has 0)");
  CHECK(array_error_of(kSales, {"market.flash_sales=3"}) ==
        "--set market.flash_sales=3: market.flash_sales: is an array of tables: neither its "
        "count nor whole elements can be set, only keys of existing elements "
        "(market.flash_sales.N.KEY)");
  CHECK(array_error_of(kSales, {"market.flash_sales.start_h=3"}) ==
        "--set market.flash_sales.start_h=3: market.flash_sales.start_h: expected an element "
        "number (market.flash_sales.N.KEY)");
  CHECK(array_error_of(kSales, {"market.flash_sales.1.multipler=3"}) ==
        "--set market.flash_sales.1.multipler=3: market.flash_sales.1.multipler: unknown key "
        "(did you mean \"market.flash_sales.1.multiplier\"?)");
  CHECK(array_error_of(kSales, {"market.flash_sales.1=3"}) ==
        "--set market.flash_sales.1=3: market.flash_sales.1: is a table, not a key");
  CHECK(array_error_of(kSales, {"market.flash_sales.1.multiplier=0"}) ==
        "--set market.flash_sales.1.multiplier=0: market.flash_sales.1.multiplier: must be in "
        "[1, 10], got 0.0");
}

TEST_CASE("scenario arrays: cells and sweeps set keys of elements") {
  const Scenario s = parse_arrays(kSales +
                                  "[[cells]]\nname = \"a\"\n"
                                  "set = { \"market.flash_sales.1.duration_h\" = 4 }\n"
                                  "[[cells]]\nname = \"b\"\n"
                                  "set = { market.flash_sales.0.start_h = 7 }\n"
                                  "[sweep]\n\"market.flash_sales.0.multiplier\" = [3, 4]\n");
  REQUIRE(names_of(s) == std::vector<std::string>{"a+multiplier=3.0", "a+multiplier=4.0",
                                                  "b+multiplier=3.0", "b+multiplier=4.0"});
  CHECK(s.cells[1].values.get_real("market.flash_sales.1.duration_h") == 4.0);
  CHECK(s.cells[1].values.get_real("market.flash_sales.0.multiplier") == 4.0);
  CHECK(s.cells[2].values.get_real("market.flash_sales.1.duration_h") == 1.0);
  CHECK(s.cells[2].values.get_real("market.flash_sales.0.start_h") == 7.0);
  CHECK(s.cells[2].values.location("market.flash_sales.0.start_h").describe() == "s.toml:16:40");
  REQUIRE(s.cells[2].overrides.size() == 2);
  CHECK(s.cells[2].overrides[0].first == "market.flash_sales.0.start_h");
  CHECK(s.cells[2].overrides[1].first == "market.flash_sales.0.multiplier");
  CHECK(array_error_of(kSales + "[[cells]]\nname = \"a\"\n"
                                "set = { \"market.flash_sales.2.start_h\" = 1 }\n") ==
        "s.toml:13:9: market.flash_sales.2.start_h: no element 2 (the array has 2)");
  CHECK(array_error_of(kSales + "[sweep]\n\"market.flash_sales\" = [1, 2]\n")
            .rfind("s.toml:12:1: market.flash_sales: is an array of tables", 0) == 0);
}

// Parses the resolved TOML of `s` back and checks that it gives the same cells and text.
void check_round_trip(const Scenario& s, const std::vector<ParamSpec>& schema) {
  const std::string text = resolved_toml(s, schema);
  const Scenario back = parse(text, {}, schema);
  REQUIRE(names_of(back) == names_of(s));
  for (std::size_t i = 0; i < s.cells.size(); ++i) {
    CHECK(back.cells[i].values.entries().size() == s.cells[i].values.entries().size());
    for (const auto& [path, entry] : s.cells[i].values.entries())
      CHECK(back.cells[i].values.get(path) == entry.value);
    CHECK(back.cells[i].overrides == s.cells[i].overrides);
  }
  CHECK(resolved_toml(back, schema) == text);
}

TEST_CASE("scenario arrays: resolved TOML renders [[arrays]] and parses back") {
  const Scenario s = parse_arrays(kSales +
                                      "[[drift]]\ntarget = \"truth.click_intercept\"\n"
                                      "delta = -0.5\n"
                                      "[[cells]]\nname = \"a\"\n"
                                      "set = { \"market.flash_sales.1.duration_h\" = 4 }\n"
                                      "[sweep]\n\"drift.0.delta\" = [1, 2]\n",
                                  {"market.flash_sales.0.multiplier=8"});
  const std::string text = resolved_toml(s, array_schema());
  CHECK(
      text.find("\n[[market.flash_sales]]\nstart_h = 30.0\nduration_h = 3.0\nmultiplier = 8.0\n"
                "\n[[market.flash_sales]]\nstart_h = 50.0\nduration_h = 1.0\nmultiplier = 5.0\n"
                "\n[[drift]]\ntarget = \"truth.click_intercept\"\nkind = \"sudden\"\n"
                "delta = -0.5\n\n[[cells]]\nname = \"a+delta=1.0\"\n"
                "set = { \"market.flash_sales.1.duration_h\" = 4.0, \"drift.0.delta\" = 1.0 }\n") !=
      std::string::npos);
  check_round_trip(s, array_schema());
  check_round_trip(parse_arrays(kMinimal), array_schema());
}

TEST_CASE("scenario arrays: schema markdown lists element keys in their section") {
  const std::string md = schema_markdown(array_schema());
  const auto market = md.find("### `market`");
  const auto row =
      md.find("| `market.flash_sales[].start_h` | float | required | [0, inf] | h | Start. |\n");
  CHECK(market < row);
  CHECK(row < md.find("### `recommender`"));
  CHECK(md.find("### `drift`\n\n| key | type | default | range | units | description |\n"
                "|---|---|---|---|---|---|\n"
                "| `drift[].target` | string | required | | | Key that drifts. |\n") !=
        std::string::npos);
  CHECK(md.find("### `drift[]") == std::string::npos);
}

TEST_CASE("scenario arrays: malformed schemas are programming errors") {
  const auto schema_with = [](const std::string& path) {
    std::vector<ParamSpec> schema = array_schema();
    schema.push_back(ParamSpec::real(path, 0, 0, 1, "Bad."));
    return schema;
  };
  for (const std::string path : {"drift[].shape[].x", "drift[]", "drift[]x", "[].x", "a[b].c",
                                 "market.flash_sales.x", "users[].x", "drift.x"}) {
    CAPTURE(path);
    CHECK_THROWS_AS(parse_scenario(kMinimal, "s.toml", {}, schema_with(path)), std::logic_error);
    CHECK_THROWS_AS(schema_markdown(schema_with(path)), std::logic_error);
  }
}

}  // namespace
}  // namespace marketsim
