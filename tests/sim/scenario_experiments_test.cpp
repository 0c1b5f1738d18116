// [[experiments]], [[arms]] and [[ope]]: parsing, checks with file positions, and round trips.
#include <catch2/catch.hpp>

#include <string>

#include "sim/core/error.h"
#include "sim/scenario/scenario.h"
#include "sim/world/world_spec.h"

using namespace marketsim;

namespace {

const std::string kExperiment = R"(
[[experiments]]
name = "explorer"
unit = "session"
segment = "vertical"
rollout_h = [0, 12]
rollout_share = [0.1, 0.5]

[[arms]]
experiment = "explorer"
name = "control"

[[arms]]
experiment = "explorer"
name = "greedy"
weight = 3
set = { "recommender.explorer.type" = "greedy" }
)";

Scenario parse(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return parse_scenario(text, "s.toml", overrides, scenario_schema());
}

// The one-line error of parsing `text` and building its cells' worlds.
std::string error_of(const std::string& text) {
  try {
    cell_worlds(parse(text));
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("an experiment's arms become one recommender per combination", "[sim][scenario]") {
  const Scenario scenario = parse(kExperiment);
  REQUIRE(scenario.arms.size() == 2);
  const std::vector<WorldSpec> cells = cell_worlds(scenario);
  const WorldSpec& spec = cells.front();
  REQUIRE(spec.experiments.size() == 1);
  const ExperimentSpec& e = spec.experiments.front();
  CHECK(e.unit == ExperimentUnit::kSession);
  CHECK(e.segment == ExperimentSegment::kVertical);
  CHECK(e.arms[1].weight == 3.0);
  CHECK(e.salt != 0);  // derived from the name
  // Not enrolled, control, greedy.
  const ArmCombinations& c = spec.combinations;
  REQUIRE(c.recommenders.size() == 3);
  CHECK(c.recommenders[1].explorer.type == spec.recommender.explorer.type);
  CHECK(c.recommenders[2].explorer.type == "greedy");
  // The arms share every component except the explorer that the treatment configures.
  const auto explorer = static_cast<std::size_t>(RecommenderComponent::kExplorer);
  for (std::size_t k = 0; k < kRecommenderComponentCount; ++k) {
    CHECK(c.instances[1][k] == 0);
    CHECK((c.instances[2][k] != 0) == (k == explorer));
  }
}

TEST_CASE("the resolved scenario keeps experiments, arms and off-policy targets",
          "[sim][scenario]") {
  const Scenario scenario = parse(kExperiment + R"(
[[ope]]
name = "softmax"
set = { "recommender.explorer.type" = "softmax" }
)");
  const Scenario again = parse(resolved_toml(scenario, scenario_schema()));
  REQUIRE(again.arms.size() == 2);
  CHECK(again.arms[1].name == "greedy");
  CHECK(again.arms[1].weight == 3.0);
  CHECK(again.arms[1].overrides == scenario.arms[1].overrides);
  REQUIRE(again.ope_targets.size() == 1);
  CHECK(again.ope_targets[0].overrides == scenario.ope_targets[0].overrides);
  CHECK(again.base.get_real_list("experiments.0.rollout_share") == std::vector<double>{0.1, 0.5});
}

TEST_CASE("bad experiments and arms are errors at their position", "[sim][scenario]") {
  CHECK(error_of(kExperiment + "[[arms]]\nexperiment = \"explorr\"\nname = \"x\"\n")
            .find("s.toml:19:14: arms.experiment: no [[experiments]] named \"explorr\" "
                  "(declared: explorer)") == 0);
  CHECK(error_of(kExperiment + "[[arms]]\nexperiment = \"explorer\"\nname = \"greedy\"\n")
            .find("arms.name: duplicate arm \"greedy\"") != std::string::npos);
  CHECK(error_of(kExperiment + "[[arms]]\nexperiment = \"explorer\"\nname = \"big\"\n"
                               "set = { \"users.count\" = 5 }\n")
            .find("users.count: may set only recommender.* keys") != std::string::npos);
  CHECK(error_of(kExperiment + "[[arms]]\nexperiment = \"explorer\"\nname = \"x\"\nwieght = 2\n")
            .find("arms.wieght: unknown key (did you mean \"arms.weight\"?)") != std::string::npos);
  CHECK(error_of("[[experiments]]\nname = \"lonely\"\n[[arms]]\nexperiment = \"lonely\"\n"
                 "name = \"only\"\n")
            .find("s.toml:2:8: experiments.0.name: experiment \"lonely\" needs at least two "
                  "[[arms]]") == 0);
  CHECK(error_of(kExperiment + "[[experiments]]\nname = \"other\"\n"
                               "[[arms]]\nexperiment = \"other\"\nname = \"a\"\n"
                               "[[arms]]\nexperiment = \"other\"\nname = \"b\"\n"
                               "set = { \"recommender.explorer.type\" = \"softmax\" }\n")
            .find("recommender.explorer.type: is set by arms of experiments \"explorer\" and "
                  "\"other\"") != std::string::npos);
  CHECK(error_of(kExperiment + "[[experiments]]\nname = \"other\"\nsalt = 7\n"
                               "[[experiments]]\nname = \"third\"\nsalt = 7\n"
                               "[[arms]]\nexperiment = \"other\"\nname = \"a\"\n"
                               "[[arms]]\nexperiment = \"other\"\nname = \"b\"\n"
                               "[[arms]]\nexperiment = \"third\"\nname = \"a\"\n"
                               "[[arms]]\nexperiment = \"third\"\nname = \"b\"\n")
            .find("experiments.2.salt: experiment \"other\" has the same salt") !=
        std::string::npos);
  CHECK(error_of(kExperiment + "[[arms]]\nexperiment = \"explorer\"\nname = \"x\"\n").empty());
  // Rollout stages: one share per stage, ascending starts from 0, shares never decreasing.
  CHECK(error_of(std::string(kExperiment).replace(kExperiment.find("[0.1, 0.5]"), 10, "[0.1]"))
            .find("experiments.0.rollout_share: needs one share per rollout_h stage") !=
        std::string::npos);
  CHECK(error_of(std::string(kExperiment).replace(kExperiment.find("[0.1, 0.5]"), 10, "[0.5, 0.1]"))
            .find("experiments.0.rollout_share: shares may not decrease") != std::string::npos);
}

TEST_CASE("ramped arms give one share per stage, at most 1 / arms, never decreasing",
          "[sim][scenario]") {
  const std::string ramp = R"(
[[experiments]]
name = "ramp"
rollout_h = [0, 24]
[[arms]]
experiment = "ramp"
name = "control"
shares = [0.5, 0.5]
[[arms]]
experiment = "ramp"
name = "treatment"
)";
  const WorldSpec ok = cell_worlds(parse(ramp + "shares = [0.05, 0.5]\n")).front();
  CHECK(ok.experiments.front().arms[1].shares == std::vector<double>{0.05, 0.5});
  CHECK(error_of(ramp + "shares = [0.05]\n")
            .find("arms.shares: needs one share per rollout_h "
                  "stage (2)") != std::string::npos);
  CHECK(error_of(ramp + "shares = [0.05, 0.6]\n")
            .find("arms.shares: each share must be at "
                  "most 1 / arms = 0.5") != std::string::npos);
  CHECK(error_of(ramp + "shares = [0.3, 0.2]\n").find("arms.shares: shares may not decrease") !=
        std::string::npos);
  CHECK(error_of(ramp).find("either every arm of experiment \"ramp\" gives its shares or none "
                            "does") != std::string::npos);
  CHECK(error_of(
            std::string(ramp).replace(ramp.find("rollout_h"), 0, "rollout_share = [0.1, 1.0]\n") +
            "shares = [0.05, 0.5]\n")
            .find("rollout_share: the arms give their own shares") != std::string::npos);
}

TEST_CASE("off-policy targets may set only model, explorer and objective keys", "[sim][scenario]") {
  CHECK(error_of("[[ope]]\nname = \"t\"\nset = { \"recommender.pacer.type\" = \"pid\" }\n")
            .find("s.toml:3:36: recommender.pacer.type: a target re-ranks the logged "
                  "candidates") == 0);
  CHECK(error_of("[[ope]]\nname = \"t\"\nset = { \"recommender.ranker.type\" = \"gbdt\" }\n")
            .find("s.toml:1:1: ope.set: target \"t\": ") == 0);
  CHECK(error_of("[[ope]]\nname = \"t\"\nset = { \"recommender.explorer.type\" = \"greedy\" "
                 "}\n")
            .empty());
}

TEST_CASE("cells may vary an experiment's keys but not its name", "[sim][scenario]") {
  const Scenario scenario = parse(kExperiment + R"(
[[cells]]
name = "by_user"
set = { "experiments.0.unit" = "user" }
)");
  CHECK(cell_worlds(scenario).front().experiments.front().unit == ExperimentUnit::kUser);
  CHECK_THROWS_WITH(parse(kExperiment + "[[cells]]\nname = \"x\"\n"
                                        "set = { \"experiments.0.name\" = \"y\" }\n"),
                    Catch::Contains("experiments.0.name: cannot differ between cells"));
  CHECK_THROWS_WITH(cell_worlds(parse(kExperiment + "[[cells]]\nname = \"a\"\n"
                                                    "[[cells]]\nname = \"b\"\n"
                                                    "set = { \"experiments.0.segment\" = "
                                                    "\"device\" }\n")),
                    Catch::Contains("experiments.0.segment: cells share one /experiments group"));
  CHECK_THROWS_WITH(cell_worlds(parse(kExperiment + "[[cells]]\nname = \"a\"\n"
                                                    "[[cells]]\nname = \"b\"\n"
                                                    "set = { \"run.window_h\" = 2.0 }\n")),
                    Catch::Contains("run.window_h: cells of a scenario with [[experiments]] must "
                                    "share the recording window"));
}
