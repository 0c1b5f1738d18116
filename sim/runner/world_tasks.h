// The worlds a run executes (every cell x replication and the experiments' counterfactual worlds)
// and the order in which the runner starts them.
#pragma once

#include <cstddef>
#include <vector>

#include "sim/world/world_spec.h"

namespace marketsim {

// One world to run: replication `replication` of cell `cell`, or, with experiment >= 0, the
// counterfactual world of that experiment's arm `arm` (every unit in the arm from the start).
struct WorldTask {
  std::size_t cell;
  std::size_t replication;
  int experiment = -1;
  int arm = -1;
};

// Every replication x cell of `cells`, replication by replication (so that the worlds sharing a
// replication's WorldBase run close together), each followed by its experiments' counterfactual
// worlds (experiments with truth = true: one per arm).
std::vector<WorldTask> world_tasks(const std::vector<WorldSpec>& cells, std::size_t replications);

// A rough cost of running one world of `spec`, in candidate scorings: the expected organic
// transactions (duration x the partners' summed base rate x the means of the hourly and weekly
// profiles) times the candidates of a request (every creative of every offer plus the partner's
// first-party offers). Flash sales and return visits are left out. Only the order of costs is
// used, to start long worlds first.
double expected_cost(const WorldSpec& spec);

// The indices of `tasks` in the order the runner starts them: decreasing expected cost of their
// cell's world (a counterfactual world costs as much as its cell's), ties in list order. Starting
// the longest worlds first keeps a batch of uneven worlds from ending on one long world while
// the other threads idle.
std::vector<std::size_t> dispatch_order(const std::vector<WorldTask>& tasks,
                                        const std::vector<WorldSpec>& cells);

}  // namespace marketsim
