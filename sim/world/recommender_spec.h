// RecommenderSpec: the typed choice of every recommender stage, as one cell or arm configures it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
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
  bool learns_unclicked_conversions = false;  // the model learns conversions on every impression
  bool learns_every_impression = false;       // ... or clicks (whatever the role serves)
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

// The stateful components of a recommender, each configured under its own key prefix.
enum class RecommenderComponent : std::size_t {
  kCandidates,
  kRanker,
  kConversionModel,
  kUserValueModel,
  kExplorer,
  kAuction,
  kReserve,
  kPacer,
  kBidder,
  kCount
};
inline constexpr std::size_t kRecommenderComponentCount =
    static_cast<std::size_t>(RecommenderComponent::kCount);

// The key prefix of each component, in RecommenderComponent order.
inline constexpr std::array<const char*, kRecommenderComponentCount> kRecommenderComponentPrefix = {
    "recommender.candidates.",       "recommender.ranker.",   "recommender.conversion_model.",
    "recommender.user_value_model.", "recommender.explorer.", "recommender.auction.",
    "recommender.reserve.",          "recommender.pacer.",    "recommender.bidder."};

// Which instance of each component a recommender of a world uses: recommenders with the same id
// for a component share one instance of it (one model trained on all their traffic, one pacer).
using ComponentInstances = std::array<std::uint32_t, kRecommenderComponentCount>;

// A target policy of off-policy evaluation ([[ope]]): the cell's recommender with the target's
// keys set over it.
struct OpeTarget {
  std::string name;
  RecommenderSpec recommender;
  SourceLocation where;  // its [[ope]] table, for messages about it
};

}  // namespace marketsim
