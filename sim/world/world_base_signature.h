// world_base_signature: which cells of a scenario can share a replication's WorldBase.
#pragma once

#include <string>

#include "sim/core/param.h"

namespace marketsim {

// The values of every key a WorldBase depends on (run.seed, the population's traits, partners,
// advertisers), rendered: cells with equal signatures share one base per replication.
std::string world_base_signature(const ParamValues& values);

}  // namespace marketsim
