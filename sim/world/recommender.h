// Recommender: one configuration of the recommender's stages, with the state its models learn.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "agents/advertiser.h"
#include "agents/partner.h"
#include "models/training/model_stage.h"
#include "policies/auction/auction.h"
#include "policies/auction/reserve_policy.h"
#include "policies/bidding/bidder.h"
#include "policies/candidates/candidate_generator.h"
#include "policies/exploration/explorer.h"
#include "policies/pacing/pacer.h"
#include "sim/core/event_queue.h"
#include "sim/world/world_spec.h"

namespace marketsim {

// The model roles of the recommender, in the order of its stages.
enum class ModelRole : std::uint8_t { kRanker, kConversionModel, kUserValueModel };
inline constexpr std::size_t kModelRoleCount = 3;

// One label of a shown impression waiting to mature (see run.click_label_delay_h,
// run.attribution_window_h, run.user_value_horizon_h), with each model role's prediction of the
// impression when it was served, before the calibrator (`raw`) and as served. A return label is
// decided when it matures: `visits` is the user's visit count right after the impression's
// transaction (0 for other labels).
struct PendingLabel {
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
};

// Every stage of one recommender configuration: candidate generation, the model roles (with the
// labels waiting to reach them), exploration, auction, reserve, pacing and bidding. A world serves
// each request with one recommender; A/B experiments give each arm its own, so an arm's models
// learn only from the traffic that arm served. Components are built from the spec's registries.
struct Recommender {
  Recommender(const RecommenderSpec& spec, const RecommenderContext& context);

  // The stages of the roles in use (the user-value model only when the objective values users).
  std::span<ModelStage* const> active_stages() const { return {stages.data(), active_count}; }
  // The stage of a model role (the user-value model's exists even when unused).
  const ModelStage& stage(ModelRole role) const { return *stages[static_cast<std::size_t>(role)]; }

  RecommenderSpec spec;
  std::unique_ptr<CandidateGenerator> candidates;
  std::unique_ptr<ModelStage> ranker;
  std::unique_ptr<ModelStage> conversion_model;
  std::unique_ptr<ModelStage> user_value_model;
  std::array<ModelStage*, kModelRoleCount> stages;  // in ModelRole order
  std::size_t active_count;
  std::uint8_t needed_tasks = 0;       // labels some active stage learns
  bool unclicked_conversions = false;  // some active stage learns them (entire-space models)
  EventQueue<PendingLabel> labels;
  std::unique_ptr<Explorer> explorer;
  std::unique_ptr<Auction> auction;
  std::unique_ptr<ReservePolicy> reserve;
  std::unique_ptr<Pacer> pacer;
  std::unique_ptr<Bidder> bidder;
  bool monitored = true;  // its labels reach the model monitor (false for off-policy targets)
};

}  // namespace marketsim
