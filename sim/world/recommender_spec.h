// RecommenderSpec: the typed choice of every recommender stage, as one cell or arm configures it.
#pragma once

#include <string>

#include "models/features/feature_spec.h"
#include "models/training/stage_spec.h"
#include "policies/objective/ranking_objective.h"
#include "sim/core/param.h"

namespace marketsim {

// One recommender stage: the registered component's name and its own parameters.
struct ComponentChoice {
  std::string type;
  ParamValues params;
};

// One model role of the recommender (recommender.ranker, .conversion_model, .user_value_model):
// the registered model, the feature pipeline it reads, and how it trains and is calibrated.
struct ModelRoleSpec {
  ComponentChoice model;
  FeatureSpec features;
  ModelStageSpec stage;
};

// Section [recommender]: the component chosen for each stage, and the ranking objective.
struct RecommenderSpec {
  ComponentChoice candidates;
  ModelRoleSpec ranker;
  ModelRoleSpec conversion_model;
  ModelRoleSpec user_value_model;
  ComponentChoice explorer;
  ComponentChoice auction;
  ComponentChoice reserve;
  ComponentChoice pacer;
  ComponentChoice bidder;
  RankingObjective objective;
};

// A target policy of off-policy evaluation ([[ope]]): the cell's recommender with the target's
// keys set over it.
struct OpeTarget {
  std::string name;
  RecommenderSpec recommender;
};

}  // namespace marketsim
