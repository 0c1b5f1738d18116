// Tests of the scenario loader: validation messages with positions, overrides, cells and sweeps.
#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

#include "sim/core/error.h"
#include "sim/scenario/scenario.h"
#include "tests/sim/scenario_test_support.h"

namespace marketsim {
namespace {

using namespace scenario_test;

TEST_CASE("scenario: missing keys get their defaults") {
  const Scenario s = parse(kMinimal);
  CHECK(s.base.get_int("users.count") == 100);
  CHECK(s.base.location("users.count").file.empty());
  CHECK(s.base.get_real_list("market.shares") == std::vector<double>{0.5, 0.5});
  CHECK(s.base.get_int("market.advertisers") == 3);
  CHECK(s.base.location("market.advertisers").describe() == "s.toml:2:15");
  CHECK(s.base.entries().size() == test_schema().size());
  REQUIRE(names_of(s) == std::vector<std::string>{"base"});
  CHECK(s.cells[0].overrides.empty());
  CHECK(s.cells[0].values.get_int("market.advertisers") == 3);
}

TEST_CASE("scenario: integers are accepted for floats and float lists") {
  const Scenario s = parse(kMinimal + "shares = [0, 1]\n[users]\narrival_rate = 3\n");
  CHECK(s.base.get_real("users.arrival_rate") == 3.0);
  CHECK(s.base.get_real_list("market.shares") == std::vector<double>{0.0, 1.0});
}

TEST_CASE("scenario: unparsable TOML names the position") {
  CHECK(error_of("[market]\nadvertisers = \n") ==
        "s.toml:2:15: Error while parsing key-value pair: expected value, saw '\\n'");
  CHECK(error_of("[market]\nadvertisers = 3\nadvertisers = 4\n").rfind("s.toml:3:", 0) == 0);
}

TEST_CASE("scenario: wrong types") {
  CHECK(error_of(kMinimal + "[users]\ncount = \"abc\"\n") ==
        "s.toml:4:9: users.count: expected int, got \"abc\"");
  CHECK(error_of(kMinimal + "[users]\ncount = 2.5\n") ==
        "s.toml:4:9: users.count: expected int, got 2.5");
  CHECK(error_of(kMinimal + "[users]\nchurn = 1\n") ==
        "s.toml:4:9: users.churn: expected bool, got 1");
  CHECK(error_of(kMinimal + "shares = [0.5, \"x\"]\n") ==
        "s.toml:3:10: market.shares: expected float list, got [0.5, \"x\"]");
  CHECK(error_of(kMinimal + "[recommender]\nexplorer = 3\n") ==
        "s.toml:4:12: recommender.explorer: expected a table, got 3");
}

TEST_CASE("scenario: out-of-range values") {
  CHECK(error_of(kMinimal + "[recommender.explorer.epsilon_greedy]\nepsilon = 1.5\n") ==
        "s.toml:4:11: recommender.explorer.epsilon_greedy.epsilon: must be in [0, 1], got 1.5");
  CHECK(error_of(kMinimal + "shares = [0.2, 0.3, 0.5]\n") ==
        "s.toml:3:10: market.shares: must have 2 values, got 3");
  CHECK(error_of(kMinimal + "[recommender.explorer]\ntype = \"greedyy\"\n") ==
        "s.toml:4:8: recommender.explorer.type: must be one of: greedy, epsilon_greedy, ucb, "
        "got \"greedyy\"");
}

TEST_CASE("scenario: unknown keys suggest a close one") {
  CHECK(error_of(kMinimal + "[users]\ncont = 5\n") ==
        "s.toml:4:1: users.cont: unknown key (did you mean \"users.count\"?)");
  CHECK(error_of("[usrs]\ncount = 5\n" + kMinimal) ==
        "s.toml:1:2: usrs: unknown key (did you mean \"users\"?)");
  CHECK(error_of(kMinimal + "[recommender.explorer.epsilon_gredy]\nepsilon = 0.2\n") ==
        "s.toml:3:23: recommender.explorer.epsilon_gredy: unknown key (did you mean "
        "\"recommender.explorer.epsilon_greedy\"?)");
}

TEST_CASE("scenario: unknown keys without a close one") {
  CHECK(error_of(kMinimal + "[users]\nzzzzzz = 1\n") == "s.toml:4:1: users.zzzzzz: unknown key");
  CHECK(error_of("title = \"x\"\n" + kMinimal) == "s.toml:1:1: title: unknown key");
  CHECK(error_of(kMinimal + "[[cell]]\nname = \"a\"\n") ==
        "s.toml:3:3: cell: unknown key (did you mean \"cells\"?)");
}

TEST_CASE("scenario: missing required keys point at their table") {
  CHECK(error_of("[users]\ncount = 5\n") == "s.toml:1:1: market.advertisers: missing required key");
  CHECK(error_of("[users]\ncount = 5\n\n[market]\nshares = [0.1, 0.9]\n") ==
        "s.toml:4:1: market.advertisers: missing required key");
  CHECK(parse("", {"market.advertisers=7"}).base.get_int("market.advertisers") == 7);
}

TEST_CASE("scenario: --set overrides") {
  const Scenario s =
      parse(kMinimal, {"users.count=5", "users.count = 6", "recommender.explorer.type=greedy",
                       "run.label=2024", "market.shares=[0.25, 0.75]", "users.arrival_rate=4"});
  CHECK(s.base.get_int("users.count") == 6);
  CHECK(s.base.location("users.count").describe() == "--set users.count = 6");
  CHECK(s.base.get_string("recommender.explorer.type") == "greedy");
  CHECK(s.base.get_string("run.label") == "2024");
  CHECK(s.base.get_real_list("market.shares") == std::vector<double>{0.25, 0.75});
  CHECK(s.base.get_real("users.arrival_rate") == 4.0);
  CHECK(parse(kMinimal, {"run.label=\"a b\""}).base.get_string("run.label") == "a b");
}

TEST_CASE("scenario: bad --set keys and values") {
  CHECK(error_of(kMinimal, {"users.cuont=5"}) ==
        "--set users.cuont=5: users.cuont: unknown key (did you mean \"users.count\"?)");
  CHECK(error_of(kMinimal, {"usr.count=5"}) ==
        "--set usr.count=5: usr.count: unknown key (did you mean \"users.count\"?)");
  CHECK(error_of(kMinimal, {"users=5"}) == "--set users=5: users: is a table, not a key");
  CHECK(error_of(kMinimal, {"users.count"}) == "--set users.count: expected KEY=VALUE");
  CHECK(error_of(kMinimal, {"users.count=0"}) ==
        "--set users.count=0: users.count: must be in [1, 100000000], got 0");
  CHECK(error_of(kMinimal, {"users.count=abc"}) ==
        "--set users.count=abc: users.count: expected int, got \"abc\"");
  CHECK(error_of(kMinimal, {"users.churn=[1, 2]"}) ==
        "--set users.churn=[1, 2]: users.churn: expected bool, got [1.0, 2.0]");
  CHECK(error_of(kMinimal, {"recommender.explorer.type=greed"}) ==
        "--set recommender.explorer.type=greed: recommender.explorer.type: must be one of: "
        "greedy, epsilon_greedy, ucb, got \"greed\"");
}

TEST_CASE("scenario: experiment-wide keys cannot differ between cells") {
  CHECK(is_experiment_wide("run.seed"));
  CHECK(is_experiment_wide("run.replications"));
  CHECK(is_experiment_wide("evaluation.models"));
  CHECK_FALSE(is_experiment_wide("evaluation.reliability_upper"));
  CHECK_FALSE(is_experiment_wide("run.label"));
  CHECK(error_of(kMinimal + "[[cells]]\nname = \"a\"\nset = { \"run.seed\" = 2 }\n") ==
        "s.toml:5:9: run.seed: cannot differ between cells");
  CHECK(error_of(kMinimal + "[sweep]\nrun.replications = [1, 2]\n") ==
        "s.toml:4:5: run.replications: cannot differ between cells");
}

TEST_CASE("scenario: cell keys are validated with their own positions") {
  CHECK(error_of(kMinimal + "[[cells]]\nname = \"a\"\nset = { users.cont = 2 }\n") ==
        "s.toml:5:15: users.cont: unknown key (did you mean \"users.count\"?)");
  CHECK(error_of(kMinimal + "[[cells]]\nname = \"a\"\nset = { \"users.count\" = 0 }\n") ==
        "s.toml:5:25: users.count: must be in [1, 100000000], got 0");
  CHECK(error_of(kMinimal + "[[cells]]\nname = \"a\"\nsett = {}\n") ==
        "s.toml:5:1: cells.sett: unknown key (did you mean \"cells.set\"?)");
  CHECK(error_of(kMinimal + "[[cells]]\nset = {}\n") ==
        "s.toml:3:1: cells.name: missing required key");
  CHECK(error_of(kMinimal + "[[cells]]\nname = \"a b\"\n") ==
        "s.toml:4:8: cells.name: must match [A-Za-z0-9_.=+-]+, got \"a b\"");
  CHECK(error_of(kMinimal + "[sweep]\n\"users.count\" = 5\n") ==
        "s.toml:4:17: users.count: expected a non-empty array of values to sweep, got 5");
}

TEST_CASE("scenario: duplicate cell names are rejected") {
  CHECK(error_of(kMinimal + "[[cells]]\nname = \"a\"\n[[cells]]\nname = \"a\"\n") ==
        "s.toml:6:8: cells.name: duplicate cell name \"a\"");
  CHECK(error_of(kMinimal + "[sweep]\n\"users.count\" = [5, 5]\n") ==
        "s.toml:3:1: sweep: expands to the cell name \"count=5\" twice");
}

TEST_CASE("scenario: cells override the base, and cells win over --set") {
  const Scenario s = parse(kMinimal +
                               "[[cells]]\nname = \"greedy\"\n"
                               "set = { \"recommender.explorer.type\" = \"greedy\" }\n"
                               "[[cells]]\nname = \"many\"\n"
                               "set = { users = { count = 500 }, \"users.churn\" = true }\n",
                           {"users.count=7"});
  REQUIRE(names_of(s) == std::vector<std::string>{"greedy", "many"});
  CHECK(s.cells[0].values.get_string("recommender.explorer.type") == "greedy");
  CHECK(s.cells[0].values.get_int("users.count") == 7);
  CHECK(s.cells[1].values.get_string("recommender.explorer.type") == "epsilon_greedy");
  CHECK(s.cells[1].values.get_int("users.count") == 500);
  CHECK(s.cells[1].values.location("users.count").describe() == "s.toml:8:27");
  REQUIRE(s.cells[1].overrides.size() == 2);
  CHECK(s.cells[1].overrides[0].first == "users.count");
  CHECK(s.cells[1].overrides[1] == std::pair<std::string, ParamValue>{"users.churn", true});
}

TEST_CASE("scenario: sweeps expand every cell, last key fastest") {
  const Scenario s = parse(kMinimal +
                           "[[cells]]\nname = \"eg\"\n"
                           "[[cells]]\nname = \"greedy\"\n"
                           "set = { \"recommender.explorer.type\" = \"greedy\" }\n"
                           "[sweep]\n"
                           "recommender.explorer.ucb.c = [1, 2]\n"
                           "\"recommender.explorer.epsilon_greedy.epsilon\" = [0.01, 0.05, 0.1]\n");
  REQUIRE(names_of(s) ==
          std::vector<std::string>{
              "eg+epsilon=0.01+c=1.0", "eg+epsilon=0.01+c=2.0", "eg+epsilon=0.05+c=1.0",
              "eg+epsilon=0.05+c=2.0", "eg+epsilon=0.1+c=1.0", "eg+epsilon=0.1+c=2.0",
              "greedy+epsilon=0.01+c=1.0", "greedy+epsilon=0.01+c=2.0", "greedy+epsilon=0.05+c=1.0",
              "greedy+epsilon=0.05+c=2.0", "greedy+epsilon=0.1+c=1.0", "greedy+epsilon=0.1+c=2.0"});
  const CellSpec& cell = s.cells[9];
  CHECK(cell.values.get_string("recommender.explorer.type") == "greedy");
  CHECK(cell.values.get_real("recommender.explorer.epsilon_greedy.epsilon") == 0.05);
  CHECK(cell.values.get_real("recommender.explorer.ucb.c") == 2.0);
  CHECK(cell.values.location("recommender.explorer.ucb.c").describe() == "s.toml:9:34");
  REQUIRE(cell.overrides.size() == 3);
  CHECK(cell.overrides[0].first == "recommender.explorer.type");
  CHECK(cell.overrides[1].first == "recommender.explorer.epsilon_greedy.epsilon");
  CHECK(cell.overrides[2].first == "recommender.explorer.ucb.c");
}

TEST_CASE("scenario: a sweep without cells names cells by their values only") {
  const Scenario s = parse(kMinimal +
                           "[sweep]\nrecommender.explorer.type = [\"greedy\", \"ucb\"]\n"
                           "market.shares = [[0.1, 0.9], [0.5, 0.5]]\n");
  CHECK(names_of(s) ==
        std::vector<std::string>{"shares=[0.1,0.9]+type=greedy", "shares=[0.1,0.9]+type=ucb",
                                 "shares=[0.5,0.5]+type=greedy", "shares=[0.5,0.5]+type=ucb"});
  CHECK(s.cells[1].values.get_real_list("market.shares") == std::vector<double>{0.1, 0.9});
}

TEST_CASE("scenario: a cell may not set a swept key") {
  CHECK(error_of(kMinimal + "[[cells]]\nname = \"a\"\nset = { \"users.count\" = 5 }\n"
                            "[sweep]\n\"users.count\" = [1, 2]\n") ==
        "s.toml:5:25: users.count: is swept in [sweep], so a cell cannot also set it");
}

TEST_CASE("scenario: resolved TOML parses back to the same cells") {
  const Scenario s = parse(kMinimal +
                               "[[cells]]\nname = \"eg\"\n"
                               "[[cells]]\nname = \"greedy\"\n"
                               "set = { \"recommender.explorer.type\" = \"greedy\" }\n"
                               "[sweep]\nusers.arrival_rate = [0.1, 3]\n",
                           {"run.label=say \"hi\"\\", "users.count=9", "users.arrival_rate=0.3"});
  const std::string text = resolved_toml(s, test_schema());
  CHECK(text.find("[recommender.explorer.epsilon_greedy]\nepsilon = 0.1\n") != std::string::npos);
  CHECK(text.find("[sweep]") == std::string::npos);
  const Scenario back = parse(text);
  REQUIRE(names_of(back) == names_of(s));
  for (std::size_t i = 0; i < s.cells.size(); ++i) {
    for (const auto& [path, entry] : s.cells[i].values.entries())
      CHECK(back.cells[i].values.get(path) == entry.value);
    CHECK(back.cells[i].overrides == s.cells[i].overrides);
  }
  CHECK(back.base.get_string("run.label") == "say \"hi\"\\");
  CHECK(resolved_toml(back, test_schema()) == text);
}

TEST_CASE("scenario: resolved TOML keeps floats exact") {
  const Scenario s = parse(kMinimal, {"users.arrival_rate=0.30000000000000004"});
  const Scenario back = parse(resolved_toml(s, test_schema()));
  CHECK(back.base.get_real("users.arrival_rate") == s.base.get_real("users.arrival_rate"));
  CHECK(names_of(back) == std::vector<std::string>{"base"});
}

TEST_CASE("scenario: schema markdown has a table per section and a row per key") {
  const std::vector<ParamSpec> schema = test_schema();
  const std::string md = schema_markdown(schema);
  for (const ParamSpec& spec : schema)
    CHECK(md.find("| `" + spec.path + "` |") != std::string::npos);
  CHECK(md.rfind("### `run`\n\n| key | type | default | range | units | description |\n", 0) == 0);
  CHECK(md.find("| `users.arrival_rate` | float | 2.0 | [0, inf] | 1/h | Arrivals per user. |\n") !=
        std::string::npos);
  CHECK(md.find("| `market.advertisers` | int | required | [1, 1000] | | Advertisers. |\n") !=
        std::string::npos);
  CHECK(md.find("### `recommender`") != std::string::npos);
  CHECK(md.find(" \n") == std::string::npos);
  CHECK(md.back() == '\n');
  CHECK(schema_markdown(schema) == md);
}

// Two flash sales (the first with a default multiplier) and no drift events.
TEST_CASE("scenario: load_scenario reports unreadable files") {
  try {
    load_scenario("/nonexistent/s.toml", {}, test_schema());
    FAIL("expected a UsageError");
  } catch (const UsageError& error) {
    CHECK(std::string(error.what()) ==
          "/nonexistent/s.toml: cannot read file: No such file or directory");
  }
}

}  // namespace
}  // namespace marketsim
