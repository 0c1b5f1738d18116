#include "sim/world/world.h"

#include <algorithm>

namespace marketsim {
namespace {

constexpr int kTransactionPartnerShift = 40;
constexpr int kExplorerBlocksPerRequestShift = 16;
constexpr std::uint64_t kStopCheckInterval = 4096;

}  // namespace

World::World(const WorldSpec& spec, ReplicationKey key)
    : spec_(spec),
      key_(key),
      horizon_(hours_to_time(spec.run.duration_h)),
      users_(spec.users, key),
      partners_(make_partners(spec.partners, key)),
      market_(make_market(spec.advertisers, key)),
      truth_(spec.truth, market_.offers, users_.region_count(), key),
      user_pick_(key, "traffic.user"),
      candidates_(candidate_generator_registry().create(spec.recommender.candidates.type,
                                                        spec.recommender.candidates.params)),
      ranker_(ctr_predictor_registry().create(
          spec.recommender.ranker.type, spec.recommender.ranker.params, market_.offers.size())),
      explorer_(explorer_registry().create(spec.recommender.explorer.type,
                                           spec.recommender.explorer.params)),
      auction_(auction_registry().create(spec.recommender.auction.type,
                                         spec.recommender.auction.params)),
      recorder_(std::max<SimTime>(1, hours_to_time(spec.run.window_h)), horizon_) {
  for (const Partner& p : partners_)
    arrivals_.emplace_back(p.base_rate_per_hour, spec.partners.hourly_profile,
                           RngStream(key, "traffic.arrivals", p.id));
  arrival_count_.assign(partners_.size(), 0);
  budget_remaining_.assign(market_.advertisers.size(), 0.0);
  queue_.reserve(partners_.size() + 1024);
  const std::size_t n = market_.offers.size();
  candidate_ids_.reserve(n);
  pctr_.reserve(n);
  bids_.reserve(n);
  scores_.reserve(n);
}

ReplicationOutcome World::run(const std::atomic<bool>* stop) {
  ReplicationOutcome outcome;
  queue_.push(0, DayStartEvent{});
  for (const Partner& p : partners_) {
    const SimTime first = arrivals_[p.id].next(0);
    if (first >= 0 && first < horizon_) queue_.push(first, ArrivalEvent{p.id});
  }
  while (!queue_.empty() && queue_.next_time() < horizon_) {
    const auto entry = queue_.pop();
    std::visit([&](const auto& event) { on(entry.time, event); }, entry.payload);
    ++outcome.events;
    if (stop && outcome.events % kStopCheckInterval == 0 && stop->load(std::memory_order_relaxed))
      return outcome;
  }
  outcome.completed = true;
  return outcome;
}

void World::on(SimTime now, const ArrivalEvent& e) {
  const Partner& partner = partners_[e.partner];
  serve(now, partner, arrival_count_[e.partner]++);
  const SimTime next = arrivals_[e.partner].next(now);
  if (next >= 0 && next < horizon_) queue_.push(next, e);
}

void World::on(SimTime now, const ConversionEvent& e) {
  const Offer& offer = market_.offers[e.offer];
  recorder_.add(Metric::kConversions, now, 1.0);
  recorder_.add(Metric::kConversionValue, now,
                market_.advertisers[offer.advertiser].value_per_conversion);
}

void World::on(SimTime now, const DayStartEvent&) {
  for (const Advertiser& a : market_.advertisers) budget_remaining_[a.id] = a.daily_budget;
  if (now + kMicrosPerDay < horizon_) queue_.push(now + kMicrosPerDay, DayStartEvent{});
}

void World::serve(SimTime now, const Partner& partner, std::uint64_t arrival_index) {
  const std::uint64_t transaction =
      (static_cast<std::uint64_t>(partner.id) << kTransactionPartnerShift) | arrival_index;
  recorder_.add(Metric::kTransactions, now, 1.0);
  const auto pick = user_pick_.block(partner.id, arrival_index);
  const auto user_index =
      static_cast<std::size_t>((static_cast<std::uint64_t>(pick[0]) * users_.size()) >> 32);
  const UserAttributes& user = users_[user_index];
  const Request request{
      transaction, now, &partner,
      RequestFeatures{user.device, user.region, user.age_band, user.returning, partner.id}};
  const MarketView market{market_.offers, budget_remaining_};

  candidates_->generate(request, market, candidate_ids_);
  if (candidate_ids_.empty()) return;
  const std::size_t n = candidate_ids_.size();
  pctr_.resize(n);
  bids_.resize(n);
  scores_.resize(n);
  ranker_->predict(request.features, candidate_ids_, pctr_);
  for (std::size_t i = 0; i < n; ++i) {
    bids_[i] = market_.offers[candidate_ids_[i]].cpc_bid;
    scores_[i] = bids_[i] * pctr_[i];
  }

  RngStream policy_rng(key_, "policy.explorer", partner.id,
                       arrival_index << kExplorerBlocksPerRequestShift);
  const ExplorationInput exploration{scores_,        bids_,         pctr_,
                                     candidate_ids_, ranker_.get(), &request.features};
  explorer_->choose(exploration, partner.slots, policy_rng, slate_);
  auction_->clear(AuctionInput{bids_, pctr_, &slate_, partner.reserve_price}, auction_result_);
  if (slate_.explored) recorder_.add(Metric::kExplored, now, 1.0);

  for (int slot = 0; slot < slate_.shown; ++slot) {
    const std::uint32_t offer_id = candidate_ids_[slate_.order[slot]];
    const Offer& offer = market_.offers[offer_id];
    const Outcome outcome = truth_.outcome(transaction, user, offer_id, slot);
    recorder_.add(Metric::kImpressions, now, 1.0);
    recorder_.add(Metric::kExpectedClicks, now, outcome.click_probability);
    ranker_->learn(request.features, offer_id, slot, outcome.clicked);
    if (!outcome.clicked) continue;
    recorder_.add(Metric::kClicks, now, 1.0);
    double& budget = budget_remaining_[offer.advertiser];
    const double charge = std::min(auction_result_.price_per_click[slot], budget);
    budget -= charge;
    recorder_.add(Metric::kSpend, now, charge);
    recorder_.add(Metric::kPartnerRevenue, now, charge * partner.revenue_share);
    recorder_.add(Metric::kRevenue, now, charge * (1.0 - partner.revenue_share));
    if (outcome.converted) queue_.push(now + outcome.conversion_delay, ConversionEvent{offer_id});
  }
}

}  // namespace marketsim
