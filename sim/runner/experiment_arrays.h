// The /experiments/<name> group: an A/B experiment's per-arm figures, tests and true effects.
#pragma once

#include <string>
#include <vector>

#include "analysis/output/results_file.h"
#include "sim/runner/replication_capture.h"
#include "sim/world/experiment_spec.h"

namespace marketsim {

// The captures of one experiment: observed[c][r] from replication r of cell c, and
// counterfactual[c][r][a] from the world where every unit is in arm a (nullptr where a world did
// not finish or the experiment has truth = false).
struct ExperimentCaptures {
  std::vector<std::vector<const ExperimentCapture*>> observed;
  std::vector<std::vector<std::vector<const ExperimentCapture*>>> counterfactual;
};

// Builds the group over dimensions cell x replication x time x arm x segment (docs/output.md,
// "A/B experiments"): per arm and look (window end, cumulative since the start) the units and
// per-unit means of every UnitMetric, the ratio metrics, and against the control Welch's test,
// the delta method, the probability of beating the control, the always-valid mSPRT p-value, the
// first significant look, the sample-ratio-mismatch test, and the true values and effects from
// the counterfactual worlds. `specs` is the experiment in each cell.
ArrayGroup experiment_arrays(const std::vector<const ExperimentSpec*>& specs,
                             const std::vector<std::string>& cell_names,
                             const std::vector<double>& window_end,
                             const ExperimentCaptures& captures);

}  // namespace marketsim
