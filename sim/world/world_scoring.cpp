// World's per-request scoring: the candidates' predictions and objective, the shown offers'
// outcomes and predictions (and their evaluation, evaluation.models), and the oracle's allocation.
#include <algorithm>

#include "sim/world/world.h"

namespace marketsim {
namespace {

// Moves the `k` (<= values.size()) largest of `values` to its front, largest first, the rest in
// any order: what std::partial_sort leaves in the front, in one pass that keeps them by insertion
// (a few slots of a few dozen offers: most values are below the k-th kept and cost one test).
void select_largest(std::vector<double>& values, std::size_t k) {
  if (k == 0) return;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    std::size_t at = std::min(i, k);
    if (at == k) {
      if (!(v > values[k - 1])) continue;
      values[i] = values[k - 1];  // the smallest kept value leaves the front
      at = k - 1;
    }
    for (; at > 0 && values[at - 1] < v; --at) values[at] = values[at - 1];
    values[at] = v;
  }
}

}  // namespace

void World::evaluate_shown(Recommender& rec, const RequestFeatures& features,
                           std::uint64_t transaction, const TruthContext& ctx) {
  const auto shown = static_cast<std::size_t>(slate_.shown);
  outcomes_.clear();
  shown_offers_.clear();
  shown_slots_.clear();
  for (int slot = 0; slot < slate_.shown; ++slot) {
    const std::uint32_t offer = candidate_ids_[slate_.order[slot]];
    outcomes_.push_back(truth_.outcome(transaction, ctx, offer, slot));
    shown_offers_.push_back(offer);
    shown_slots_.push_back(slot);
  }
  for (std::size_t r = 0; r < rec.active_count; ++r) {
    shown_raw_[r].assign(shown, 0.0);
    shown_served_[r].assign(shown, 0.0);
  }
  // A stage that serves a shown offer what it predicted for the ranking, at its reference slot
  // with the model unchanged since, is not asked again: its prediction is in pctr_ (the ranker)
  // or pcvr_ (the conversion model), kept in step with candidate_ids_ (the user-value model's
  // preturn_ is not, so it is always asked).
  const auto ranking_pass = [&](std::size_t role) -> const std::vector<double>* {
    if (role == static_cast<std::size_t>(ModelRole::kRanker)) return &pctr_;
    if (role == static_cast<std::size_t>(ModelRole::kConversionModel)) return &pcvr_;
    return nullptr;
  };
  const auto ranked = [&](std::size_t role, std::span<const int> slots) {
    return ranking_pass(role) != nullptr && std::all_of(slots.begin(), slots.end(), [&](int slot) {
             return rec.stages[role]->evaluates_as_predicted(slot);
           });
  };
  const auto take_ranked = [&](std::size_t role, std::span<const int> slots) {
    const std::vector<double>& predicted = *ranking_pass(role);
    for (const int slot : slots) {
      const auto s = static_cast<std::size_t>(slot);
      shown_raw_[role][s] = shown_served_[role][s] = predicted[slate_.order[s]];
    }
  };
  if (ranked(0, shown_slots_)) {
    take_ranked(0, shown_slots_);
  } else {
    rec.stages[0]->evaluate(features, shown_offers_, shown_slots_, shown_raw_[0], shown_served_[0]);
  }
  // The other roles' predictions matter only where their labels exist: on clicked offers.
  clicked_offers_.clear();
  clicked_slots_.clear();
  for (std::size_t s = 0; s < shown; ++s)
    if (outcomes_[s].clicked) {
      clicked_offers_.push_back(shown_offers_[s]);
      clicked_slots_.push_back(shown_slots_[s]);
    }
  if (clicked_offers_.empty()) return;
  for (std::size_t r = 1; r < rec.active_count; ++r) {
    if (ranked(r, clicked_slots_)) {
      take_ranked(r, clicked_slots_);
      continue;
    }
    clicked_raw_.resize(clicked_offers_.size());
    clicked_served_.resize(clicked_offers_.size());
    rec.stages[r]->evaluate(features, clicked_offers_, clicked_slots_, clicked_raw_,
                            clicked_served_);
    for (std::size_t i = 0; i < clicked_slots_.size(); ++i) {
      const auto s = static_cast<std::size_t>(clicked_slots_[i]);
      shown_raw_[r][s] = clicked_raw_[i];
      shown_served_[r][s] = clicked_served_[i];
    }
  }
}

void World::evaluate_models(SimTime now, const RequestFeatures& features, std::uint32_t offer,
                            int slot, const Outcome& outcome) {
  const auto s = static_cast<std::size_t>(slot);
  const RawFeatures served = raw_features(features, offer, slot);
  model_recorder_.add(EvaluatedModel::kCtr, now, shown_served_[0][s], outcome.clicked,
                      outcome.click_probability);
  model_monitor_.serve(EvaluatedModel::kCtr, now, served, shown_served_[0][s]);
  if (!outcome.clicked) return;
  const SimTime window = hours_to_time(spec_.run.attribution_window_h);
  model_monitor_.serve(EvaluatedModel::kCvr, now, served, shown_served_[1][s]);
  model_recorder_.add(EvaluatedModel::kCvr, now, shown_served_[1][s],
                      outcome.converted && outcome.conversion_delay <= window,
                      attributed_conversion_probability(offer));
}

TopBids World::score_candidates(Recommender& rec, const Request& request, double reserve,
                                RngStream& policy_rng) {
  std::size_t n = candidate_ids_.size();
  pctr_.resize(n);
  pcvr_.resize(n);
  preturn_.resize(n);
  rec.ranker->predict(request.features, candidate_ids_, pctr_);
  rec.conversion_model->predict(request.features, candidate_ids_, pcvr_);
  const RankingObjective objective = rec.spec.objective;  // a copy: see the loop below
  if (objective.user_value_weight > 0) {
    rec.user_value_model->predict(request.features, candidate_ids_, preturn_);
  } else {
    std::fill(preturn_.begin(), preturn_.end(), 0.0);
  }
  money_per_click_.resize(n);
  multipliers_.resize(n);
  value_per_click_.resize(n);
  scores_.resize(n);
  const bool pacing = !rec.pacer->neutral(), bidding = !rec.bidder->neutral();
  // Locals, so that the stores below do not make the compiler reload the buffers and weights.
  const Offer* catalog = market_.offers.data();
  std::uint32_t* ids = candidate_ids_.data();
  double* pctr = pctr_.data();
  double* pcvr = pcvr_.data();
  const double* preturn = preturn_.data();
  double* money_per_click = money_per_click_.data();
  double* multipliers = multipliers_.data();
  double* value_per_click = value_per_click_.data();
  double* scores = scores_.data();
  std::size_t kept = 0;
  TopBids bids;
  for (std::size_t i = 0; i < n; ++i) {
    const Offer& offer = catalog[ids[i]];
    double multiplier = 1.0;
    if (offer.bid_type != BidType::kFirstParty) {
      if (pacing) multiplier *= rec.pacer->participation(offer.advertiser, policy_rng);
      if (bidding) multiplier *= rec.bidder->multiplier(offer.advertiser);
      if (multiplier <= 0) continue;
    }
    const double click = pctr[i], conversion = pcvr[i];
    const double money = RankingObjective::money_per_click(offer, click, conversion, multiplier);
    if (offer.bid_type != BidType::kFirstParty && money < reserve) continue;
    const double value = objective.value_per_click(offer, money, preturn[i]);
    ids[kept] = ids[i];
    multipliers[kept] = multiplier;
    pctr[kept] = click;
    pcvr[kept] = conversion;
    money_per_click[kept] = money;
    value_per_click[kept] = value;
    scores[kept] = value * click;
    ++kept;
    if (offer.bid_type == BidType::kFirstParty) continue;
    if (money > bids.top) {
      bids.second = bids.top;
      bids.top = money;
    } else if (money > bids.second) {
      bids.second = money;
    }
  }
  for (auto* buffer :
       {&pctr_, &pcvr_, &money_per_click_, &multipliers_, &value_per_click_, &scores_})
    buffer->resize(kept);
  candidate_ids_.resize(kept);
  return bids;
}

// The oracle knows the truth: among all eligible offers (before any candidate cut or reserve) it
// puts the highest true expected values in the most examined slots, which no policy can beat. It
// is recorded twice: among the offers whose budgets the cell has left (its regret: what the cell
// could still have done) and among all offers the partner allows, budgets ignored (the same
// yardstick for every cell, whatever it spent). Returns the truly best eligible offer (kNoOffer
// when none is eligible).
std::uint32_t World::record_oracle(SimTime now, const RequestFeatures& features,
                                   const Partner& partner) {
  const std::vector<std::uint32_t>& offers = partner_offers_[partner.id];
  oracle_clicks_.resize(offers.size());
  oracle_conversions_.resize(offers.size());
  truth_view_.click_probabilities(features, offers, oracle_clicks_);
  truth_view_.conversion_probabilities(offers, oracle_conversions_);
  unconstrained_values_.resize(offers.size());
  std::uint32_t best = kNoOffer;
  double best_value = -1;
  const auto remaining = ledger_.remaining();
  // An advertiser's offer whose budget is spent out is not the cell's to show.
  const auto funded = [&](const Offer& offer) {
    return offer.bid_type == BidType::kFirstParty || remaining[offer.advertiser] > 0;
  };
  const RankingObjective& objective = spec_.evaluation.objective;
  for (std::size_t i = 0; i < offers.size(); ++i) {
    const Offer& offer = market_.offers[offers[i]];
    const double money =
        RankingObjective::money_per_click(offer, oracle_clicks_[i], oracle_conversions_[i]);
    const double value = oracle_clicks_[i] * objective.value_per_click(offer, money, 0.0);
    unconstrained_values_[i] = value;
    if (value > best_value && funded(offer)) best = offer.id, best_value = value;
  }
  const auto allocate = [&](std::vector<double>& values) {
    const std::size_t k = std::min<std::size_t>(values.size(), partner.slots);
    select_largest(values, k);
    double total = 0;
    for (std::size_t s = 0; s < k; ++s) total += sorted_bias_[s] * values[s];
    return total;
  };
  double oracle = 0, unconstrained = 0;
  if (ledger_.all_funded()) {  // the two lists are equal, and so are their allocations
    oracle = unconstrained = allocate(unconstrained_values_);
  } else {
    true_values_.clear();
    for (std::size_t i = 0; i < offers.size(); ++i)
      if (funded(market_.offers[offers[i]])) true_values_.push_back(unconstrained_values_[i]);
    oracle = allocate(true_values_);
    unconstrained = allocate(unconstrained_values_);
  }
  recorder_.add(Metric::kOracleValue, now, oracle);
  recorder_.add(Metric::kRegret, now, oracle);
  recorder_.add(Metric::kUnconstrainedOracleValue, now, unconstrained);
  recorder_.add(Metric::kUnconstrainedRegret, now, unconstrained);
  return best;
}

}  // namespace marketsim
