// Off-policy evaluation of target policies from the logged requests, and the /ope/<target> group.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/output/results_file.h"
#include "analysis/statistics/ope_estimators.h"
#include "sim/world/off_policy_log.h"

namespace marketsim {

// The rewards a target is evaluated on, per logged request: clicks and conversion value (USD).
inline constexpr std::array<const char*, 2> kOpeRewards = {"clicks", "conversion_value"};

// A target's estimates over one replication's logged requests, per reward, next to what the
// simulator knows: the target's true expected reward on the same requests (its slot
// probabilities times the true click and conversion probabilities) and the logging policy's, both
// per request, and the logging policy's observed mean reward.
struct OpeFigures {
  std::array<OpeResult, 2> estimates;
  std::array<double, 2> true_value{};
  std::array<double, 2> logging_true_value{};
  std::array<double, 2> logging_observed{};
};

// Evaluates one target from a replication's logs, all in simulation order: `impressions` (one
// row per shown slot), `candidates` (one row per candidate) and `target` (one record per logged
// request). Throws std::invalid_argument when the three logs do not describe the same requests.
OpeFigures evaluate_target(std::span<const ImpressionRecord> impressions,
                           std::span<const CandidateRecord> candidates,
                           std::span<const TargetRecord> target);

// The /ope/<target> group over cell x replication x reward x estimator (docs/output.md);
// figures[c][r] is empty where a replication did not finish.
ArrayGroup ope_arrays(const std::vector<std::string>& cell_names,
                      const std::vector<std::vector<std::optional<OpeFigures>>>& figures);

}  // namespace marketsim
