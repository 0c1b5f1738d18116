// ExperimentSpec: one A/B experiment inside a world ([[experiments]] and its [[arms]]).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/param.h"
#include "sim/core/sim_time.h"
#include "sim/scenario/scenario.h"
#include "sim/world/recommender_spec.h"

namespace marketsim {

// What an experiment randomizes: a user (every visit of the user), a session (one transaction,
// i.e. one confirmation page) or a partner (all its traffic).
enum class ExperimentUnit : std::uint8_t { kUser, kSession, kPartner };

// The segmentation of an experiment's figures: none, the user's device, the partner's vertical,
// or the day of the run the transaction happened on.
enum class ExperimentSegment : std::uint8_t { kNone, kDevice, kVertical, kDay };

// One arm: its name, relative traffic weight, and (ramped rollouts) its share of all units in
// each rollout stage.
struct ExperimentArm {
  std::string name;
  double weight = 1.0;
  std::vector<double> shares;
};

// Section [[experiments]] plus the experiment's [[arms]]: the unit, layer salt, segmentation,
// rollout stages and the statistics' settings. arms[0] is the control.
struct ExperimentSpec {
  std::string name;
  ExperimentUnit unit = ExperimentUnit::kUser;
  std::uint64_t salt = 0;  // resolved: never 0 (a key of 0 means "derived from the name")
  ExperimentSegment segment = ExperimentSegment::kNone;
  std::vector<double> rollout_h{0.0};      // start of each rollout stage
  std::vector<double> rollout_share{1.0};  // share of units enrolled from that stage on
  double mixture_sd = 0.1;                 // mSPRT mixing sd, in control per-unit sds
  double alpha = 0.05;                     // level of the first-significant-peek summaries
  bool truth = true;                       // run one counterfactual world per arm
  bool isolate_arms = false;               // every arm has its own copy of every component
  std::vector<ExperimentArm> arms;
  // >= 0 in a counterfactual world: every unit is served by this arm from the start.
  int forced_arm = -1;

  // The keys of one [[experiments]] element ("name", "unit", ...).
  static std::vector<ParamSpec> declare();
};

// The experiments of a cell whose complete values are `values`: each [[experiments]] element of
// `values` with its arms from `arms` (in file order). Raises UsageError naming the key for an
// inconsistent rollout or two experiments on one salt.
std::vector<ExperimentSpec> experiments_of(const ParamValues& values,
                                           const std::vector<ArmSpec>& arms);

// The most arm combinations a world may hold (the product over experiments of arms + 1).
inline constexpr std::size_t kMaxArmCombinations = 64;

// The recommenders of a world with experiments: one per combination of the experiments' arms, in
// mixed radix with the first experiment's digit varying slowest; digit 0 means "not enrolled"
// (the cell's configuration for that experiment's keys) and digit a + 1 the experiment's arm a.
// Entry 0 is the cell's own recommender. Combinations share every component that none of their
// arms configures: an A/A test's arms share one model trained on all their traffic, as do arms
// that differ only in exploration, while an arm that sets ranker keys has its own ranker.
struct ArmCombinations {
  std::vector<RecommenderSpec> recommenders;
  std::vector<ComponentInstances> instances;  // per recommender
  // Per recommender, for messages about it: its arms ("arm \"b\" of experiment \"e\"", joined
  // by " with " when several experiments combine) and where the first of them is written; empty
  // for the cell's own.
  std::vector<std::string> names;
  std::vector<SourceLocation> where;
};

// The arm combinations of `experiments` over a cell's `values` (`own`: the cell's recommender).
// Raises UsageError naming the arm's key when an arm's configuration is invalid in the cell, and
// when there are more than kMaxArmCombinations combinations.
ArmCombinations arm_combinations(const ParamValues& values, const std::vector<ArmSpec>& arms,
                                 const std::vector<ExperimentSpec>& experiments,
                                 const RecommenderSpec& own);

// The segment names of `segment` ("all" first): all; all, android, ios, desktop; all and the
// verticals; all, day0, day1, ... for a run of `duration_h`.
std::vector<std::string> segment_names(ExperimentSegment segment, double duration_h);

}  // namespace marketsim
