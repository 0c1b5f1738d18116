// A/B experiments inside a world: accounting, A/A truth, and error rates over many replications.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "sim/runner/experiment_arrays.h"
#include "sim/runner/replication_capture.h"
#include "sim/scenario/scenario.h"
#include "sim/world/world.h"
#include "sim/world/world_spec.h"

using namespace marketsim;

namespace {

// A small world with one user-randomized experiment of two arms: `treatment_set` is the second
// arm's set table ("" for an A/A test), `extra` more keys of the experiment.
WorldSpec experiment_world(const std::string& treatment_set, const std::string& extra = "") {
  const std::string text = R"(
[run]
duration_h = 48.0
window_h = 4.0
[users]
count = 3000
[partners]
count = 4
transactions_per_hour = 200.0
[advertisers]
count = 8
[[experiments]]
name = "e"
)" + extra + R"(
[[arms]]
experiment = "e"
name = "a"
[[arms]]
experiment = "e"
name = "b"
)" + treatment_set + "\n";
  return cell_worlds(parse_scenario(text, "e.toml", {}, scenario_schema())).front();
}

ExperimentCapture run_capture(const WorldSpec& spec, std::uint64_t replication) {
  World world(spec, ReplicationKey{spec.run.seed, replication});
  REQUIRE(world.run().completed);
  return capture_experiments(world).front();
}

const ArrayVariable& variable(const ArrayGroup& g, const std::string& name) {
  for (const ArrayVariable& v : g.variables)
    if (v.name == name) return v;
  FAIL("no variable " << name);
  return g.variables.front();
}

}  // namespace

TEST_CASE("an experiment's arms account for every enrolled transaction", "[sim][experiments]") {
  const WorldSpec spec = experiment_world("set = { \"recommender.explorer.type\" = \"greedy\" }",
                                          "segment = \"device\"\n");
  World world(spec, ReplicationKey{spec.run.seed, 0});
  REQUIRE(world.run().completed);
  const ExperimentTracker& e = world.experiments().front();
  REQUIRE(e.snapshots().size() == world.recorder().window_count());
  const auto& last = e.snapshots().back();
  const std::size_t segments = e.segment_count();
  REQUIRE(segments == 4);  // all, android, ios, desktop
  for (const auto& [metric, unit] : {std::pair{Metric::kTransactions, UnitMetric::kTransactions},
                                     {Metric::kImpressions, UnitMetric::kImpressions},
                                     {Metric::kClicks, UnitMetric::kClicks}}) {
    double arms = 0, by_segment = 0;
    for (std::size_t a = 0; a < 2; ++a) {
      arms += last[a * segments].sum[static_cast<std::size_t>(unit)];
      for (std::size_t s = 1; s < segments; ++s)
        by_segment += last[a * segments + s].sum[static_cast<std::size_t>(unit)];
    }
    CHECK(arms == world.recorder().total(metric));  // full rollout: everything is enrolled
    CHECK(by_segment == arms);                      // segments partition the units' activity
  }
  const double revenue = last[0].sum[static_cast<std::size_t>(UnitMetric::kRevenue)] +
                         last[segments].sum[static_cast<std::size_t>(UnitMetric::kRevenue)];
  CHECK(revenue == Approx(world.recorder().total(Metric::kRevenue)).epsilon(1e-9));
  // Users are units: every user of an arm is counted once.
  CHECK(last[0].units + last[segments].units <= 3000);
}

TEST_CASE("an arm identical to the control has no true effect", "[sim][experiments]") {
  WorldSpec spec = experiment_world("", "segment = \"device\"\n");
  spec.experiments.front().forced_arm = 0;
  const ExperimentCapture control = run_capture(spec, 3);
  spec.experiments.front().forced_arm = 1;
  const ExperimentCapture copy = run_capture(spec, 3);
  const std::size_t segments = 4;
  for (std::size_t t = 0; t < control.snapshots.size(); ++t)
    for (std::size_t s = 0; s < segments; ++s) {
      const ArmSegmentSums& x = control.snapshots[t][s];
      const ArmSegmentSums& y = copy.snapshots[t][segments + s];
      CHECK(x.units == y.units);
      CHECK(x.sum == y.sum);
      CHECK(x.sum_sq == y.sum_sq);
    }
}

TEST_CASE("a staged rollout enrolls units as its share grows", "[sim][experiments]") {
  const WorldSpec spec = experiment_world("", "rollout_h = [0, 24]\nrollout_share = [0.1, 1.0]\n");
  const ExperimentCapture c = run_capture(spec, 0);
  REQUIRE(c.enrolled_shares.size() == 12);
  CHECK(c.enrolled_shares[5] == 0.1);  // the look at 24 h still closes the first stage
  CHECK(c.enrolled_shares[6] == 1.0);
  const auto units = [&](std::size_t t) {
    return c.snapshots[t][0].units + c.snapshots[t][1].units;
  };
  CHECK(units(5) < 0.2 * units(11));
}

// Over many A/A replications (no effect by construction), at level 0.05: the fixed-horizon test
// at the last of 12 looks rejects at its nominal rate, stopping at the first significant look
// inflates the rate, and the always-valid mSPRT stays at or below nominal. Tolerances: 3
// binomial standard errors of R = 200 replications (sqrt(0.05 x 0.95 / 200) = 0.015), so the
// fixed-horizon rate must lie in [0.004, 0.096]; peeking must exceed the fixed-horizon rate by
// more than 3 standard errors of a rate near 0.2 (0.085); the mSPRT rate must be at most 0.096.
TEST_CASE("A/A tests: nominal fixed horizon, inflated peeking, valid mSPRT",
          "[sim][experiments][statistics]") {
  const WorldSpec spec = experiment_world("", "truth = false\n");
  const std::size_t replications = 200;
  std::vector<ExperimentCapture> captures;
  for (std::size_t r = 0; r < replications; ++r) captures.push_back(run_capture(spec, r));
  ExperimentCaptures all;
  all.observed.assign(1, {});
  all.counterfactual.assign(1,
                            std::vector<std::vector<const ExperimentCapture*>>(
                                replications, std::vector<const ExperimentCapture*>(2, nullptr)));
  for (const ExperimentCapture& c : captures) all.observed[0].push_back(&c);
  std::vector<double> ends;
  for (int w = 1; w <= 12; ++w) ends.push_back(4.0 * w);
  const ArrayGroup g = experiment_arrays({&spec.experiments.front()}, {"base"}, ends, all);
  const auto& p = variable(g, "clicks_per_unit_p_value").data;
  const auto& first = variable(g, "clicks_per_unit_first_significant_h").data;
  const auto& msprt_first = variable(g, "clicks_per_unit_msprt_first_significant_h").data;
  double fixed = 0, peeking = 0, msprt = 0;
  for (std::size_t r = 0; r < replications; ++r) {
    // Layout: (cell, replication, time, arm, segment) with 12 times, 2 arms, 1 segment.
    fixed += p[(r * 12 + 11) * 2 + 1] < 0.05;
    peeking += !std::isnan(first[r * 2 + 1]);
    msprt += !std::isnan(msprt_first[r * 2 + 1]);
  }
  fixed /= replications, peeking /= replications, msprt /= replications;
  INFO("fixed " << fixed << " peeking " << peeking << " msprt " << msprt);
  CHECK(fixed >= 0.004);
  CHECK(fixed <= 0.096);
  CHECK(peeking > fixed + 0.085);
  CHECK(msprt <= 0.096);
}
