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

// A well-mixed hash of a transaction id, so that "every n-th" samples are spread over partners.
std::uint64_t transaction_hash(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  return x;
}

// The cart's category: with probability `in_vertical` one of the vertical's own categories
// (c % kVerticalCount == vertical), else any category; u and v uniform in (0, 1).
std::uint16_t cart_category(double u, double v, double in_vertical, int vertical, int categories) {
  const int own = (categories - vertical + kVerticalCount - 1) / kVerticalCount;
  if (u < in_vertical && own > 0)
    return static_cast<std::uint16_t>(vertical + kVerticalCount * std::min(own - 1, int(v * own)));
  return static_cast<std::uint16_t>(std::min(categories - 1, int(v * categories)));
}

// Times one stage of a sampled request into the latency recorder.
class StageTimer {
 public:
  StageTimer(LatencyRecorder& recorder, bool sampled) : recorder_(recorder), sampled_(sampled) {
    if (sampled_) start_ = LatencyRecorder::Clock::now();
  }
  // Starts timing afresh (what came since the last lap is not attributed to any stage).
  void restart() {
    if (sampled_) start_ = LatencyRecorder::Clock::now();
  }
  void lap(Stage stage) {
    if (!sampled_) return;
    const auto now = LatencyRecorder::Clock::now();
    recorder_.add(stage, now - start_);
    start_ = now;
  }

 private:
  LatencyRecorder& recorder_;
  bool sampled_;
  LatencyRecorder::Clock::time_point start_;
};

}  // namespace

void World::serve(SimTime now, const Partner& partner, std::uint32_t user_id,
                  std::uint64_t transaction) {
  deliver_labels(now);
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
                    partner.vertical, categories),
      user_id};
  const double sigma = spec_.partners.cart_value_dispersion;
  const double z = std::sqrt(-2 * std::log(to_unit_open(cart[2]))) *
                   std::cos(2 * std::numbers::pi * to_unit_open(cart[3]));
  recorder_.add(Metric::kCartValue, now,
                partner.cart_value_mean * std::exp(sigma * z - 0.5 * sigma * sigma));
  const Request request{transaction, now, &partner, skew_.serving_view(logged, transaction, now),
                        user_id};
  const MarketView market{market_.offers, ledger_.remaining(), market_.embeddings,
                          market_.latent_dim, ledger_.funding_version()};
  users_.latent(user_id, latent_);
  const TruthContext ctx{&user, latent_, partner.vertical};
  const std::int64_t sample_every = spec_.run.latency_sample_every;
  StageTimer timer(latency_, sample_every > 0 && requests_++ % sample_every == 0);
  Recommender& rec = assign(now, partner, user_id, transaction);
  tally(UnitMetric::kTransactions, 1.0);

  rec.candidates->generate(request, market, candidate_ids_);
  timer.lap(Stage::kCandidates);
  const bool oracle =
      spec_.run.oracle_every > 0 && transaction_hash(transaction) % spec_.run.oracle_every == 0;
  if (oracle) {
    const std::uint32_t best = record_oracle(now, logged, partner);
    recorder_.add(Metric::kOracleRequests, now, 1.0);
    if (best != kNoOffer && std::binary_search(candidate_ids_.begin(), candidate_ids_.end(), best))
      recorder_.add(Metric::kRecallHits, now, 1.0);
  }

  RngStream policy_rng = explorer_streams_.at(
      static_cast<std::uint32_t>(transaction >> 32),
      std::uint64_t{static_cast<std::uint32_t>(transaction)} << kExplorerBlocksPerRequestShift);
  const double reserve = rec.reserve->reserve(partner.id);
  timer.restart();
  const TopBids bids = score_candidates(rec, request, reserve, policy_rng);
  timer.lap(Stage::kScoring);
  const std::size_t n = candidate_ids_.size();
  recorder_.add(Metric::kCandidates, now, static_cast<double>(n));
  if (n == 0) {
    rec.reserve->observe(partner.id, 0.0, 0.0);
    schedule_return(now, user_id);
    return;
  }

  const bool logged_request =
      spec_.run.log_every > 0 && transaction_hash(transaction) % spec_.run.log_every == 0;
  const ExplorationInput explore{scores_,          value_per_click_,  pctr_,         candidate_ids_,
                                 rec.ranker.get(), &request.features, logged_request};
  if (logged_request)
    log_candidates(rec, explore, request.features, ctx, transaction, partner.slots);
  rec.explorer->choose(explore, partner.slots, policy_rng, slate_);
  // The targets decide on the same state as the logging policy, before any outcome is learned.
  if (logged_request && !ope_targets_.empty())
    log_targets(request.features, transaction, partner.slots);
  timer.lap(Stage::kExploration);
  rec.auction->clear(AuctionInput{money_per_click_, pctr_, &slate_, reserve}, auction_result_);
  timer.lap(Stage::kAuction);
  rec.reserve->observe(partner.id, bids.top, bids.second);
  if (slate_.explored) recorder_.add(Metric::kExplored, now, 1.0);

  evaluate_shown(rec, request.features, transaction, ctx);
  if (!ope_targets_.empty()) evaluate_targets_shown(request.features);
  const SimTime window = hours_to_time(spec_.run.attribution_window_h);
  double policy_value = 0;
  for (int slot = 0; slot < slate_.shown; ++slot) {
    const int c = slate_.order[slot];
    const std::uint32_t offer_id = candidate_ids_[c];
    const Offer& offer = market_.offers[offer_id];
    const Outcome& outcome = outcomes_[static_cast<std::size_t>(slot)];
    const double true_click = outcome.base_click_probability;
    const double true_money = RankingObjective::money_per_click(
        offer, true_click, truth_.conversion_probability(offer_id));
    policy_value += truth_.position_bias(slot) * true_click *
                    spec_.evaluation.objective.value_per_click(offer, true_money, 0.0);
    recorder_.add(Metric::kImpressions, now, 1.0);
    tally(UnitMetric::kImpressions, 1.0);
    recorder_.add(Metric::kExpectedClicks, now, outcome.click_probability);
    if (logged_request) {
      const int r = auction_result_.runner_up;
      const std::size_t pair =
          static_cast<std::size_t>(c) * static_cast<std::size_t>(slate_.shown) +
          static_cast<std::size_t>(slot);
      const double value = conversion_value(offer_id);
      impression_log_.push_back(ImpressionRecord{
          transaction,
          now,
          partner.id,
          user_id,
          logged,
          slot,
          offer_id,
          offer.advertiser == kNoAdvertiser ? -1 : static_cast<std::int64_t>(offer.advertiser),
          static_cast<int>(offer.bid_type),
          scores_[c],
          pctr_[c],
          auction_result_.price_per_click[slot],
          r < 0 ? -1 : std::int64_t{candidate_ids_[r]},
          slate_.propensity,
          slate_.propensity_estimated,
          slate_.explored,
          logging_probability_[pair],
          logging_click_[pair],
          logging_click_[pair] * pcvr_[c] * value,
          outcome.click_probability,
          outcome.click_probability * attributed_conversion_probability(offer_id) * value,
          outcome.clicked,
          outcome.converted && outcome.conversion_delay <= window ? value : 0.0});
    }
    users_.experience(user_id, truth_.quality(offer_id), outcome.clicked,
                      truth_.position_bias(slot));
    std::array<float, kModelRoleCount> raw{}, served{};
    for (std::size_t r = 0; r < rec.active_count; ++r) {
      raw[r] = static_cast<float>(shown_raw_[r][slot]);
      served[r] = static_cast<float>(shown_served_[r][slot]);
    }
    Example example;
    example.transaction = transaction;
    example.request = logged;
    example.offer = offer_id;
    example.slot = static_cast<std::uint8_t>(slot);
    example.clicked = outcome.clicked;
    log_labels(rec, now, example, outcome, user_id, raw, served);
    for (std::size_t t = 0; t < ope_targets_.size(); ++t) {
      std::array<float, kModelRoleCount> target_raw{}, target_served{};
      for (std::size_t r = 0; r < ope_targets_[t]->active_count; ++r) {
        target_raw[r] = static_cast<float>(target_raw_[t][r][slot]);
        target_served[r] = static_cast<float>(target_served_[t][r][slot]);
      }
      log_labels(*ope_targets_[t], now, example, outcome, user_id, target_raw, target_served);
    }
    rec.candidates->learn(Request{transaction, now, &partner, logged, user_id}, offer_id, slot,
                          outcome.clicked);
    const bool first_party = offer.bid_type == BidType::kFirstParty;
    if (first_party) recorder_.add(Metric::kFirstPartyImpressions, now, 1.0);
    if (!first_party) {
      auto& totals = ledger_.totals(offer.advertiser);
      totals.impressions += 1;
      if (outcome.clicked) totals.clicks += 1;
      const double price = auction_result_.price_per_click[slot];
      double charge = 0;  // billed now: CPM per impression, CPC per click
      if (offer.bid_type == BidType::kCpm) charge = price * pctr_[c];
      if (offer.bid_type == BidType::kCpc && outcome.clicked) charge = price;
      if (charge > 0) {
        const double billed = ledger_.charge(offer.advertiser, charge);
        recorder_.add(Metric::kSpend, now, billed);
        recorder_.add(Metric::kPartnerRevenue, now, billed * partner.revenue_share);
        recorder_.add(Metric::kRevenue, now, billed * (1 - partner.revenue_share));
        tally(UnitMetric::kSpend, billed);
        tally(UnitMetric::kRevenue, billed * (1 - partner.revenue_share));
      }
    }
    if (outcome.clicked) {
      recorder_.add(Metric::kClicks, now, 1.0);
      tally(UnitMetric::kClicks, 1.0);
    }
    if (rec.monitored) evaluate_models(now, request.features, offer_id, slot, outcome);
    if (!outcome.clicked) continue;
    if (outcome.converted) {
      // The auction's price per click is at most bid x multiplier x pCVR, so the price per
      // conversion is at most the (paced, autobid) CPA bid.
      const double cpa_price =
          offer.bid_type == BidType::kCpa
              ? auction_result_.price_per_click[slot] / std::max(pcvr_[c], kMinProbability)
              : 0.0;
      std::uint32_t record;
      if (free_records_.empty()) {
        record = static_cast<std::uint32_t>(conversion_prices_.size());
        conversion_prices_.push_back(cpa_price);
        attributions_.insert(attributions_.end(), unit_refs_.begin(), unit_refs_.end());
      } else {
        record = free_records_.back();
        free_records_.pop_back();
        conversion_prices_[record] = cpa_price;
        std::copy(unit_refs_.begin(), unit_refs_.end(),
                  attributions_.begin() + static_cast<std::ptrdiff_t>(record * unit_refs_.size()));
      }
      queue_.push(now + outcome.conversion_delay, ConversionEvent{offer_id, partner.id, record});
    }
  }
  recorder_.add(Metric::kPolicyValue, now, policy_value);
  tally(UnitMetric::kPolicyValue, policy_value);
  if (oracle) {
    recorder_.add(Metric::kRegret, now, -policy_value);
    recorder_.add(Metric::kUnconstrainedRegret, now, -policy_value);
  }
  schedule_return(now, user_id);
}

}  // namespace marketsim
