// `marketsim merge`: joins the shard files of one run into the results file a single process
// would have written.
#pragma once

#include <string>
#include <vector>

#include "sim/runner/experiment_runner.h"

namespace marketsim {

// Reads every shard in `shards`, checks that they come from one run (same software version,
// scenario, overrides and seed, made with the same N) and together hold each slice 0..N-1 exactly
// once, then writes `output` (through OUT.partial and an atomic rename; with `no_clobber` an
// existing `output` is kept). Every dataset but /timing equals that of the single-process run.
// Throws UsageError naming the offending files for mismatched, duplicate or missing shards, and
// RunError for unreadable or damaged ones.
RunSummary merge_shards(const std::string& output, const std::vector<std::string>& shards,
                        bool no_clobber);

}  // namespace marketsim
