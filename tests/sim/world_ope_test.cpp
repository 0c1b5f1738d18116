// Off-policy evaluation inside worlds: IPS, SNIPS and DR are unbiased for a target's true value.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "sim/runner/ope_arrays.h"
#include "sim/scenario/scenario.h"
#include "sim/world/world.h"
#include "sim/world/world_spec.h"

using namespace marketsim;

// Over R = 40 replications of a small world whose logging policy explores (30% epsilon-greedy),
// the estimators' errors against the target's true mean clicks per logged request (its slot
// probabilities times the true click probabilities of the same requests) average to zero: the
// mean error lies within 3 standard errors of the mean over replications (SE = sd / sqrt(R);
// two-sided false alarm about 0.3% per estimator). The target ranks with its own FTRL model
// trained on the same logs and samples slates with softmax, so its choices differ from the
// logging policy's in most requests.
TEST_CASE("IPS, SNIPS and DR are unbiased for a target's true value", "[sim][ope][statistics]") {
  const std::string text = R"(
[run]
duration_h = 12.0
window_h = 6.0
log_every = 4
[users]
count = 4000
[partners]
count = 4
transactions_per_hour = 300.0
slots = 2
[advertisers]
count = 8
daily_budget_mean = 1.0e6
[recommender.explorer]
type = "epsilon_greedy"
epsilon_greedy.epsilon = 0.3
[[ope]]
name = "target"
set = { "recommender.ranker.type" = "ftrl", "recommender.explorer.type" = "softmax" }
)";
  const WorldSpec spec =
      cell_worlds(parse_scenario(text, "ope.toml", {}, scenario_schema())).front();
  const int replications = 40;
  std::array<std::vector<double>, 4> errors;  // dm, ips, snips, dr
  for (int r = 0; r < replications; ++r) {
    World world(spec, ReplicationKey{spec.run.seed, static_cast<std::uint64_t>(r)});
    REQUIRE(world.run().completed);
    const OpeFigures f =
        evaluate_target(world.impression_log(), world.candidate_log(), world.target_log()[0]);
    REQUIRE(f.estimates[0].requests > 100);
    for (std::size_t e = 0; e < 4; ++e)
      errors[e].push_back(f.estimates[0].estimates[e].value - f.true_value[0]);
  }
  for (std::size_t e : {1, 2, 3}) {
    double sum = 0, sum_sq = 0;
    for (double x : errors[e]) sum += x, sum_sq += x * x;
    const double mean = sum / replications;
    const double sd = std::sqrt((sum_sq - replications * mean * mean) / (replications - 1));
    INFO("estimator " << e << " mean error " << mean << " sd " << sd);
    CHECK(std::abs(mean) <= 3 * sd / std::sqrt(double(replications)));
  }
}

// A world reserves room for the logs it is expected to write, so that they never grow by
// reallocation (a copy of everything logged so far each time): at expected traffic the logs stay
// where they were first allocated.
TEST_CASE("A world's logs stay where they were reserved", "[sim][ope]") {
  const std::string text = R"(
[run]
duration_h = 6.0
log_every = 3
[users]
count = 2000
[partners]
count = 4
transactions_per_hour = 400.0
slots = 2
[advertisers]
count = 6
daily_budget_mean = 1.0e6
)";
  const WorldSpec spec =
      cell_worlds(parse_scenario(text, "logs.toml", {}, scenario_schema())).front();
  World world(spec, ReplicationKey{spec.run.seed, 0});
  const CandidateRecord* candidates = world.candidate_log().data();
  const ImpressionRecord* impressions = world.impression_log().data();
  REQUIRE(world.run().completed);
  REQUIRE(world.candidate_log().size() > 1000);
  REQUIRE(world.impression_log().size() > 500);
  CHECK(world.candidate_log().data() == candidates);
  CHECK(world.impression_log().data() == impressions);
}
