// The runner's worlds: which ones a scenario runs, and the longest-first order they start in.
#include <catch2/catch.hpp>

#include <vector>

#include "sim/runner/world_tasks.h"
#include "sim/world/world_spec.h"

using namespace marketsim;

namespace {

// The default world with `duration_h` hours of traffic.
WorldSpec world_of(double duration_h) {
  WorldSpec spec = WorldSpec::from(defaults_of(scenario_schema()));
  spec.run.duration_h = duration_h;
  return spec;
}

}  // namespace

TEST_CASE("a world's expected cost grows with its traffic and its candidates", "[sim][runner]") {
  const WorldSpec day = world_of(24);
  CHECK(expected_cost(world_of(48)) == Approx(2 * expected_cost(day)));
  WorldSpec busier = day;
  busier.partners.transactions_per_hour *= 3;
  CHECK(expected_cost(busier) == Approx(3 * expected_cost(day)));
  WorldSpec more_offers = day;
  more_offers.advertisers.count *= 2;
  CHECK(expected_cost(more_offers) > expected_cost(day));
}

TEST_CASE("tasks start longest first, counterfactual worlds with their cell, ties in list order",
          "[sim][runner]") {
  const std::vector<WorldSpec> cells{world_of(6), world_of(24), world_of(12)};
  const std::vector<WorldTask> tasks{
      {0, 0}, {0, 1}, {1, 0}, {1, 0, 0, 0}, {1, 0, 0, 1}, {1, 1}, {2, 0}, {2, 1}, {2, 1, 0, 0},
  };
  const std::vector<std::size_t> expected{2, 3, 4, 5, 6, 7, 8, 0, 1};
  CHECK(dispatch_order(tasks, cells) == expected);
}

TEST_CASE("equal worlds keep their list order", "[sim][runner]") {
  const std::vector<WorldSpec> cells{world_of(24), world_of(24)};
  const std::vector<WorldTask> tasks = world_tasks(cells, 3);
  REQUIRE(tasks.size() == 6);
  CHECK(dispatch_order(tasks, cells) == std::vector<std::size_t>{0, 1, 2, 3, 4, 5});
}
