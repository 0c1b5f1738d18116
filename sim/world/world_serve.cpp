// World::serve: one transaction through the recommender, the auction and the users' responses.
#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>

#include "sim/world/world.h"

namespace marketsim {
namespace {

constexpr int kExplorerBlocksPerRequestShift = 16;
constexpr double kMinProbability = 1e-6;

// What one click on `offer` is worth to the ranking objective, in USD, given P(click) and
// P(conversion | click): the bid converted to a per-click figure (first-party: the margin).
double value_per_click(const Offer& offer, double p_click, double p_conversion) {
  switch (offer.bid_type) {
    case BidType::kCpc:
      return offer.bid;
    case BidType::kCpa:
      return offer.bid * p_conversion;
    case BidType::kCpm:
      return offer.bid / std::max(p_click, kMinProbability);
    case BidType::kFirstParty:
      return offer.bid * p_conversion;
  }
  return 0;
}

// The cart's category: with probability `in_vertical` one of the vertical's own categories
// (c % kVerticalCount == vertical), else any category; u and v uniform in (0, 1).
std::uint16_t cart_category(double u, double v, double in_vertical, int vertical, int categories) {
  const int own = (categories - vertical + kVerticalCount - 1) / kVerticalCount;
  if (u < in_vertical && own > 0)
    return static_cast<std::uint16_t>(vertical + kVerticalCount * std::min(own - 1, int(v * own)));
  return static_cast<std::uint16_t>(std::min(categories - 1, int(v * categories)));
}

}  // namespace

void World::serve(SimTime now, const Partner& partner, std::uint32_t user_id,
                  std::uint64_t transaction) {
  const UserAttributes& user = users_[user_id];
  recorder_.add(Metric::kTransactions, now, 1.0);
  if (user.device == 0) recorder_.add(Metric::kAndroidTransactions, now, 1.0);
  if (user.returning) recorder_.add(Metric::kReturningTransactions, now, 1.0);
  recorder_.add(Metric::kSatisfaction, now, users_.satisfaction(user_id));

  const auto cart = traffic_rng_.block(1, transaction);
  const int categories = static_cast<int>(spec_.advertisers.categories);
  const RequestFeatures logged{
      user.device,
      user.region,
      user.age_band,
      user.returning,
      partner.id,
      static_cast<std::uint8_t>(partner.vertical),
      cart_category(to_unit_open(cart[0]), to_unit_open(cart[1]), spec_.partners.cart_in_vertical,
                    partner.vertical, categories)};
  const double sigma = spec_.partners.cart_value_dispersion;
  const double z = std::sqrt(-2 * std::log(to_unit_open(cart[2]))) *
                   std::cos(2 * std::numbers::pi * to_unit_open(cart[3]));
  recorder_.add(Metric::kCartValue, now,
                partner.cart_value_mean * std::exp(sigma * z - 0.5 * sigma * sigma));
  const Request request{transaction, now, &partner, skew_.serving_view(logged, transaction),
                        user_id};
  const MarketView market{market_.offers, ledger_.remaining()};
  users_.latent(user_id, latent_);
  const TruthContext ctx{&user, latent_, partner.vertical};

  candidates_->generate(request, market, candidate_ids_);
  std::size_t n = candidate_ids_.size();
  pctr_.resize(n);
  pcvr_.resize(n);
  ranker_->predict(request.features, candidate_ids_, pctr_);
  conversion_model_->predict(request.features, candidate_ids_, pcvr_);
  value_per_click_.resize(n);
  scores_.resize(n);
  std::size_t kept = 0;  // drop ads whose value per click is below the reserve price
  for (std::size_t i = 0; i < n; ++i) {
    const Offer& offer = market_.offers[candidate_ids_[i]];
    const double vpc = value_per_click(offer, pctr_[i], pcvr_[i]);
    if (offer.bid_type != BidType::kFirstParty && vpc < partner.reserve_price) continue;
    candidate_ids_[kept] = candidate_ids_[i];
    pctr_[kept] = pctr_[i];
    pcvr_[kept] = pcvr_[i];
    value_per_click_[kept] = vpc;
    scores_[kept] = vpc * pctr_[i];
    ++kept;
  }
  n = kept;
  for (auto* buffer : {&pctr_, &pcvr_, &value_per_click_, &scores_}) buffer->resize(n);
  candidate_ids_.resize(n);
  recorder_.add(Metric::kCandidates, now, static_cast<double>(n));
  record_oracle(now, ctx, partner);
  if (n == 0) {
    schedule_return(now, user_id);
    return;
  }

  RngStream policy_rng(key_, "policy.explorer", static_cast<std::uint32_t>(transaction >> 32),
                       static_cast<std::uint32_t>(transaction) << kExplorerBlocksPerRequestShift);
  explorer_->choose(ExplorationInput{scores_, value_per_click_, pctr_, candidate_ids_,
                                     ranker_.get(), &request.features},
                    partner.slots, policy_rng, slate_);
  auction_->clear(AuctionInput{value_per_click_, pctr_, &slate_, partner.reserve_price},
                  auction_result_);
  if (slate_.explored) recorder_.add(Metric::kExplored, now, 1.0);

  const SimTime window = hours_to_time(spec_.run.attribution_window_h);
  double policy_value = 0;
  for (int slot = 0; slot < slate_.shown; ++slot) {
    const int c = slate_.order[slot];
    const std::uint32_t offer_id = candidate_ids_[c];
    const Offer& offer = market_.offers[offer_id];
    const Outcome outcome = truth_.outcome(transaction, ctx, offer_id, slot);
    const double true_click = truth_.base_click_probability(ctx, offer_id);
    policy_value += truth_.position_bias(slot) * true_click *
                    value_per_click(offer, true_click, truth_.conversion_probability(offer_id));
    recorder_.add(Metric::kImpressions, now, 1.0);
    recorder_.add(Metric::kExpectedClicks, now, outcome.click_probability);
    users_.experience(user_id, truth_.quality(offer_id), outcome.clicked,
                      truth_.position_bias(slot));
    ranker_->learn(logged, offer_id, slot, outcome.clicked);
    const bool first_party = offer.bid_type == BidType::kFirstParty;
    if (first_party) recorder_.add(Metric::kFirstPartyImpressions, now, 1.0);
    double charge = 0;  // billed now: CPM per impression, CPC per click
    if (!first_party) {
      auto& totals = ledger_.totals(offer.advertiser);
      totals.impressions += 1;
      if (outcome.clicked) totals.clicks += 1;
      const double price = auction_result_.price_per_click[slot];
      if (offer.bid_type == BidType::kCpm) charge = price * pctr_[c];
      if (offer.bid_type == BidType::kCpc && outcome.clicked) charge = price;
      if (charge > 0) {
        const double billed = ledger_.charge(offer.advertiser, charge);
        recorder_.add(Metric::kSpend, now, billed);
        recorder_.add(Metric::kPartnerRevenue, now, billed * partner.revenue_share);
        recorder_.add(Metric::kRevenue, now, billed * (1 - partner.revenue_share));
      }
    }
    if (!outcome.clicked) continue;
    recorder_.add(Metric::kClicks, now, 1.0);
    const bool converts_in_window = outcome.converted && outcome.conversion_delay <= window;
    queue_.push(now + (converts_in_window ? outcome.conversion_delay : window),
                LabelEvent{offer_id, converts_in_window, logged});
    if (outcome.converted) {
      const double cpa_price =
          offer.bid_type == BidType::kCpa
              ? auction_result_.price_per_click[slot] / std::max(pcvr_[c], kMinProbability)
              : 0.0;
      queue_.push(now + outcome.conversion_delay,
                  ConversionEvent{offer_id, partner.id, std::min(cpa_price, offer.bid)});
    }
  }
  recorder_.add(Metric::kPolicyValue, now, policy_value);
  recorder_.add(Metric::kRegret, now, -policy_value);
  schedule_return(now, user_id);
}

// The oracle knows the truth: among all eligible offers (before any candidate cut or reserve) it
// puts the highest true expected values in the most examined slots, which no policy can beat.
void World::record_oracle(SimTime now, const TruthContext& ctx, const Partner& partner) {
  true_values_.clear();
  const MarketView market{market_.offers, ledger_.remaining()};
  const Request request{0, now, &partner, RequestFeatures{}, 0};
  for (const Offer& offer : market_.offers) {
    if (!CandidateGenerator::eligible(request, market, offer)) continue;
    const double p_click = truth_.base_click_probability(ctx, offer.id);
    true_values_.push_back(
        p_click * value_per_click(offer, p_click, truth_.conversion_probability(offer.id)));
  }
  const std::size_t k = std::min<std::size_t>(true_values_.size(), partner.slots);
  std::partial_sort(true_values_.begin(), true_values_.begin() + k, true_values_.end(),
                    std::greater<>());
  double oracle = 0;
  for (std::size_t s = 0; s < k; ++s) oracle += sorted_bias_[s] * true_values_[s];
  recorder_.add(Metric::kOracleValue, now, oracle);
  recorder_.add(Metric::kRegret, now, oracle);
}

}  // namespace marketsim
