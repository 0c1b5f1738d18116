// WorldSpec: the typed description of one cell's world, and the scenario schema it comes from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agents/advertiser.h"
#include "agents/drift_schedule.h"
#include "agents/ground_truth.h"
#include "agents/partner.h"
#include "agents/user_population.h"
#include "policies/objective/ranking_objective.h"
#include "sim/core/param.h"
#include "sim/world/experiment_spec.h"
#include "sim/world/feature_skew.h"
#include "sim/world/recommender_spec.h"

namespace marketsim {

// Section [run]: what to simulate for how long, and how to record it.
struct RunSpec {
  std::uint64_t seed = 0;
  std::int64_t replications = 0;
  double duration_h = 0;
  double window_h = 0;
  double drift_step_h = 0;
  double click_label_delay_h = 0;
  double attribution_window_h = 0;
  bool conversion_labels_at_window_end = true;
  double pacing_interval_h = 0;
  double user_value_horizon_h = 0;
  std::int64_t latency_sample_every = 0;
  std::int64_t oracle_every = 0;
  std::int64_t log_every = 0;

  static std::vector<ParamSpec> declare();
  static RunSpec from(const ParamValues& values);
};

// Section [evaluation]: the objective every cell's policy value and regret are measured in, and
// how the models' predictions are judged and monitored.
struct EvaluationSpec {
  // [evaluation.objective]: the same for every cell whatever each ranks by (no user-value term:
  // the long run shows in return visits).
  RankingObjective objective;
  double reliability_upper = 0.5;
  double reference_h = 24;                // online models' monitor reference: the past this long
  double psi_threshold = 0.1;             // alert when a request feature's PSI exceeds it
  double calibration_tolerance = 1.2;     // alert when matured calibration leaves [1/t, t]
  std::int64_t monitor_min_count = 2000;  // statistics need this many examples on each side
  std::int64_t importance_every = 100;    // permutation importance on one example in this many
  bool models = true;                     // record the model figures and run the monitor

  static std::vector<ParamSpec> declare();
  static EvaluationSpec from(const ParamValues& values);
};

// Everything one cell needs to build and run a world.
struct WorldSpec {
  RunSpec run;
  PopulationSpec users;
  PartnerSpec partners;
  AdvertiserSpec advertisers;
  TruthSpec truth;
  SkewSpec skew;
  DriftSchedule drift;
  EvaluationSpec evaluation;
  RecommenderSpec recommender;
  std::vector<ExperimentSpec> experiments;  // A/B experiments splitting this world's traffic
  // One recommender per combination of the experiments' arms, and which components they share
  // (see arm_combinations); just `recommender` without experiments.
  ArmCombinations combinations;
  std::vector<OpeTarget> ope_targets;  // policies evaluated off-policy on the logged requests
  // The world_base_signature of the cell's values: cells with equal ones share a replication's
  // users, partners and catalog.
  std::string base_signature;

  // Builds the spec from a cell's complete, validated values; cross-field checks (e.g. a position
  // bias for every slot) raise UsageError naming the key. Experiments get their arms from `arms`;
  // `targets` are the off-policy targets ([[ope]]).
  static WorldSpec from(const ParamValues& values, const std::vector<ArmSpec>& arms = {},
                        const std::vector<OpeTargetSpec>& targets = {});
};

// The recommender that complete, validated `values` configure (with the same checks as
// WorldSpec::from, without the experiments).
RecommenderSpec recommender_spec_of(const ParamValues& values);

// The world of every cell of `scenario`, in cell order, with the scenario's experiments. Cells of
// a scenario with experiments share one /experiments group, so they must share run.duration_h
// and run.window_h. Raises UsageError naming the key of the first invalid value.
std::vector<WorldSpec> cell_worlds(const Scenario& scenario);

// Every scenario key: [run], [users], [partners], [advertisers], [truth], [skew], [[drift]],
// [[experiments]] and,
// for each recommender stage, recommender.<stage>.type plus recommender.<stage>.<component>.<param>
// for every registered component.
const std::vector<ParamSpec>& scenario_schema();

}  // namespace marketsim
