// Recommender: one configuration of the recommender's stages, with the state its models learn.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "agents/advertiser.h"
#include "agents/partner.h"
#include "models/training/model_stage.h"
#include "models/truth_view.h"
#include "policies/auction/auction.h"
#include "policies/auction/reserve_policy.h"
#include "policies/bidding/bidder.h"
#include "policies/candidates/candidate_generator.h"
#include "policies/exploration/explorer.h"
#include "policies/pacing/pacer.h"
#include "sim/core/event_queue.h"
#include "sim/world/recommender_spec.h"

namespace marketsim {

// The model roles of the recommender, in the order of its stages.
enum class ModelRole : std::uint8_t { kRanker, kConversionModel, kUserValueModel };
inline constexpr std::size_t kModelRoleCount = 3;

// One label of a shown impression waiting to mature (see run.click_label_delay_h,
// run.attribution_window_h, run.user_value_horizon_h), with each model role's prediction of the
// impression when it was served, before the calibrator (`raw`) and as served. A return label is
// decided when it matures: `visits` is the user's visit count right after the impression's
// transaction (0 for other labels). `recipient` is the recommender whose models learn it.
struct PendingLabel {
  std::uint32_t recipient;
  Example example;
  std::uint32_t user;
  std::uint32_t visits;
  std::array<float, kModelRoleCount> raw;
  std::array<float, kModelRoleCount> served;
};

// What building a recommender needs to know of its world.
struct RecommenderContext {
  const AdvertiserMarket* market;
  std::span<const OfferFeatures> offer_features;  // the catalog as models see it
  std::size_t users;
  int regions;
  std::span<const double> partner_reserves;  // USD per click, by partner
  ReplicationKey key;
  std::int64_t importance_every;  // see evaluation.importance_every
  const TruthView* truth;         // for the `oracle` model only
};

// Every stage of one recommender configuration: candidate generation, the model roles,
// exploration, auction, reserve, pacing and bidding. A world serves each request with one
// recommender; the arms of A/B experiments have their own, which share with the cell's every
// component the arm does not configure (see ComponentInstances). Built by RecommenderBuilder.
struct Recommender {
  // The stages of the roles in use (the user-value model only when the objective values users).
  std::span<ModelStage* const> active_stages() const { return {stages.data(), active_count}; }
  // The stage of a model role (the user-value model's exists even when unused).
  const ModelStage& stage(ModelRole role) const { return *stages[static_cast<std::size_t>(role)]; }

  RecommenderSpec spec;
  std::shared_ptr<CandidateGenerator> candidates;
  std::shared_ptr<ModelStage> ranker;
  std::shared_ptr<ModelStage> conversion_model;
  std::shared_ptr<ModelStage> user_value_model;
  std::array<ModelStage*, kModelRoleCount> stages{};  // in ModelRole order
  std::size_t active_count = 0;
  std::uint8_t needed_tasks = 0;       // labels some active stage learns
  bool unclicked_conversions = false;  // some active stage learns them (entire-space models)
  // Some active stage may learn from the label a shown impression carries at once (its click; on
  // an unclicked one also its negative return and conversion labels): one that learns clicks,
  // returns or unclicked conversions. A model of conversions given a click learns none of it.
  bool learns_click_labels = false;
  std::shared_ptr<Explorer> explorer;
  std::shared_ptr<Auction> auction;
  std::shared_ptr<ReservePolicy> reserve;
  std::shared_ptr<Pacer> pacer;
  std::shared_ptr<Bidder> bidder;
  // Its models are evaluated: its impressions feed the model recorder and its labels the monitor
  // (false for off-policy targets and under evaluation.models = false).
  bool monitored = true;
  std::uint32_t index = 0;  // its PendingLabel::recipient in its world
};

// Builds the recommenders of one world from the registries, each component once per instance id:
// a recommender asking for an instance an earlier one built shares that object.
class RecommenderBuilder {
 public:
  explicit RecommenderBuilder(const RecommenderContext& context) : context_(context) {}

  std::unique_ptr<Recommender> build(const RecommenderSpec& spec,
                                     const ComponentInstances& instances);

 private:
  // The instance `id` of component `k`, made by `make` the first time.
  template <typename T, typename Make>
  std::shared_ptr<T> shared(RecommenderComponent k, std::uint32_t id, Make make);

  RecommenderContext context_;
  std::map<std::pair<std::size_t, std::uint32_t>, std::shared_ptr<void>> built_;
};

}  // namespace marketsim
