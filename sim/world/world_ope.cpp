// World's off-policy log: the logging policy's slot probabilities and the targets' view of them.
#include "sim/world/world.h"

namespace marketsim {
namespace {

// The propensity stream of a logged request: separate from the explorer's own stream, so that
// logging changes no decision.
RngStream propensity_stream(ReplicationKey key, const char* component, std::uint64_t transaction) {
  return RngStream(key, component, static_cast<std::uint32_t>(transaction >> 32),
                   std::uint64_t{static_cast<std::uint32_t>(transaction)} << 16);
}

}  // namespace

double World::conversion_value(std::uint32_t offer_id) const {
  const Offer& offer = market_.offers[offer_id];
  return offer.bid_type == BidType::kFirstParty
             ? offer.bid
             : market_.advertisers[offer.advertiser].value_per_conversion;
}

void World::log_candidates(const Recommender& rec, const ExplorationInput& input,
                           const RequestFeatures& features, const TruthContext& ctx,
                           std::uint64_t transaction, int slots) {
  const std::size_t n = input.scores.size();
  const auto k =
      static_cast<std::size_t>(std::min<std::size_t>(static_cast<std::size_t>(slots), n));
  RngStream rng = propensity_stream(key_, "policy.logging_propensity", transaction);
  rec.explorer->slot_probabilities(input, slots, rng, logging_probability_);
  pair_offers_.clear();
  pair_slots_.clear();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t s = 0; s < k; ++s) {
      pair_offers_.push_back(candidate_ids_[i]);
      pair_slots_.push_back(static_cast<int>(s));
    }
  pair_raw_.resize(pair_offers_.size());
  logging_click_.resize(pair_offers_.size());
  rec.stages[0]->evaluate(features, pair_offers_, pair_slots_, pair_raw_, logging_click_);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t offer = candidate_ids_[i];
    // Built where it is kept: moving a record copies its per-slot values.
    CandidateRecord& record = candidate_log_.emplace_back();
    record.transaction = transaction;
    record.offer = offer;
    record.score = scores_[i];
    record.pctr = pctr_[i];
    record.pcvr = pcvr_[i];
    record.value_per_click = value_per_click_[i];
    record.value_per_conversion = conversion_value(offer);
    record.true_conversion_probability = attributed_conversion_probability(offer);
    const double base = truth_.base_click_probability(ctx, offer);
    for (std::size_t s = 0; s < k; ++s) {
      record.slot_probability.push_back(logging_probability_[i * k + s]);
      record.predicted_click.push_back(logging_click_[i * k + s]);
      record.true_click.push_back(base * truth_.position_bias(static_cast<int>(s)));
    }
  }
}

void World::log_targets(const RequestFeatures& features, std::uint64_t transaction, int slots) {
  const std::size_t n = candidate_ids_.size();
  const auto k = static_cast<std::size_t>(slate_.shown);
  const CandidateRecord* logged = &candidate_log_[candidate_log_.size() - n];
  for (std::size_t t = 0; t < ope_targets_.size(); ++t) {
    Recommender& target = *ope_targets_[t];
    // The target re-ranks the logged candidates with its own models and objective.
    target_pctr_.resize(n);
    target_pcvr_.resize(n);
    target_return_.assign(n, 0.0);
    target.ranker->predict(features, candidate_ids_, target_pctr_);
    target.conversion_model->predict(features, candidate_ids_, target_pcvr_);
    const RankingObjective& objective = target.spec.objective;
    if (objective.user_value_weight > 0)
      target.user_value_model->predict(features, candidate_ids_, target_return_);
    target_value_.resize(n);
    target_scores_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const Offer& offer = market_.offers[candidate_ids_[i]];
      // The logging policy's pacing and bidding multipliers: the target changes the ranking only.
      const double money = RankingObjective::money_per_click(offer, target_pctr_[i],
                                                             target_pcvr_[i], multipliers_[i]);
      target_value_[i] = objective.value_per_click(offer, money, target_return_[i]);
      target_scores_[i] = target_value_[i] * target_pctr_[i];
    }
    RngStream rng = propensity_stream(key_, "policy.target_propensity", transaction);
    target.explorer->slot_probabilities(
        ExplorationInput{target_scores_, target_value_, target_pctr_, candidate_ids_,
                         target.ranker.get(), &features},
        slots, rng, target_probability_);
    TargetRecord record = make_target_record(
        transaction, std::span(logged, n), std::span(slate_.order.data(), k), target_probability_);
    target_log_[t].push_back(std::move(record));
  }
}

void World::evaluate_targets_shown(const RequestFeatures& features) {
  const auto shown = static_cast<std::size_t>(slate_.shown);
  target_raw_.resize(ope_targets_.size());
  target_served_.resize(ope_targets_.size());
  for (std::size_t t = 0; t < ope_targets_.size(); ++t) {
    const Recommender& target = *ope_targets_[t];
    for (std::size_t r = 0; r < target.active_count; ++r) {
      target_raw_[t][r].assign(shown, 0.0);
      target_served_[t][r].assign(shown, 0.0);
      target.stages[r]->evaluate(features, shown_offers_, shown_slots_, target_raw_[t][r],
                                 target_served_[t][r]);
    }
  }
}

}  // namespace marketsim
