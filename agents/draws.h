// Small helpers shared by the agent builders: mean-preserving log-normal draws, weight checks.
#pragma once

#include <string>

#include "sim/core/param.h"
#include "sim/core/rng.h"

namespace marketsim {

// A log-normal draw with mean `mean` and log-scale sigma `sigma` (exactly `mean` when sigma is 0).
double lognormal_with_mean(RngStream& rng, double mean, double sigma);

// Rejects a weight list (at `path` in `values`) whose total is zero: nothing could be drawn.
void require_positive_total(const ParamValues& values, const std::string& path);

}  // namespace marketsim
