// The report's blocks for A/B experiments (/experiments) and off-policy evaluation (/ope).
#pragma once

#include <string>
#include <vector>

#include "analysis/output/hdf5_node.h"

namespace marketsim {

// For each /experiments/<name> group of `root`: per cell and treatment arm, at the last look
// over all units, the estimated effect on the headline metrics (revenue, clicks and true value
// per unit, CTR), the true effect, the estimate's bias, and the share of replications that a
// fixed-horizon test, stopping at the first significant daily look, and the mSPRT each declared
// significant; means ± 95% half-widths over replications. "" when the file has no experiments.
std::string experiment_report(const h5::Node& root, const std::vector<std::string>& cells);

// For each /ope/<target> group: per cell and reward, each estimator's mean estimate and its
// error against the target's true value (± 95% half-widths over replications), and the share of
// replications whose 95% interval covers the truth. "" when the file has no targets.
std::string ope_report(const h5::Node& root, const std::vector<std::string>& cells);

}  // namespace marketsim
