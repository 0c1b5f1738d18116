#include "sim/world/world.h"

#include <algorithm>
#include <cmath>

#include "sim/world/resource_estimate.h"

namespace marketsim {
namespace {

constexpr std::uint64_t kStopCheckInterval = 4096;
constexpr int kTransactionPartnerShift = 40;
constexpr std::uint64_t kReturnVisitFlag = 1ull << 63;
// The logs' reserved rows as a multiple of the expected rows: room for traffic above expectation.
constexpr double kLogRoom = 1.25;
// The event queues' buckets over the horizon: each pop sifts only the events of one span, about
// 1.4 simulated minutes of a day.
constexpr std::size_t kEventBuckets = 1024;

SimTime event_bucket_width(SimTime horizon) {
  return horizon / static_cast<SimTime>(kEventBuckets) + 1;
}

std::vector<double> partner_reserves(const std::vector<Partner>& partners) {
  std::vector<double> reserves;
  for (const Partner& p : partners) reserves.push_back(p.reserve_price);
  return reserves;
}

}  // namespace

World::World(const WorldSpec& spec, ReplicationKey key, std::shared_ptr<const WorldBase> base)
    : spec_(spec),
      key_(key),
      horizon_(hours_to_time(spec.run.duration_h)),
      base_(base ? std::move(base) : WorldBase::build(spec, key)),
      users_(spec.users, base_->users),
      partners_(base_->partners),
      market_(base_->market),
      truth_(spec.truth, market_, users_.region_count(), key),
      truth_view_(truth_, users_, partners_),
      attributed_delay_share_(truth_.delay_within(hours_to_time(spec.run.attribution_window_h))),
      mix_(users_),
      skew_(spec.skew, users_.region_count(), key),
      drift_times_(spec.drift.change_times(hours_to_time(spec.run.duration_h))),
      ledger_(market_.advertisers),
      traffic_rng_(key, "traffic.request"),
      return_rng_(key, "users.return"),
      explorer_streams_(key, "policy.explorer", 0),
      offer_features_(base_->offer_features),
      labels_(event_bucket_width(horizon_), kEventBuckets),
      queue_(event_bucket_width(horizon_), kEventBuckets),
      recorder_(std::max<SimTime>(1, hours_to_time(spec.run.window_h)), horizon_),
      model_recorder_(std::max<SimTime>(1, hours_to_time(spec.run.window_h)), horizon_,
                      spec.evaluation.reliability_upper),
      model_monitor_(std::max<SimTime>(1, hours_to_time(spec.run.window_h)), horizon_) {
  double cumulative = 0;
  for (const Partner& p : partners_) {
    arrivals_.emplace_back(rate_profile(spec.partners, p), horizon_,
                           RngStream(key, "traffic.arrivals", p.id));
    cumulative += p.base_rate_per_hour;
    partner_cumulative_rate_.push_back(cumulative);
  }
  arrival_count_.assign(partners_.size(), 0);
  next_users_.assign(partners_.size(), NextUser{});
  partner_offers_.resize(partners_.size());
  for (const Partner& p : partners_)
    for (const Offer& offer : market_.offers)
      if (offer.bid_type == BidType::kFirstParty ? offer.owner_partner == p.id
                                                 : p.category_allowed[offer.category] != 0)
        partner_offers_[p.id].push_back(offer.id);
  const std::size_t n = market_.offers.size();
  latent_.resize(static_cast<std::size_t>(users_.latent_dim()));
  for (auto* buffer :
       {&pctr_, &pcvr_, &preturn_, &money_per_click_, &value_per_click_, &scores_, &true_values_})
    buffer->reserve(n);
  candidate_ids_.reserve(n);
  // Room for the logs the run is expected to write, so that they do not grow by reallocation
  // (which faults in a larger block and copies everything logged so far each time); the room is
  // address space until written, and a run that logs more grows as usual.
  const ExpectedLogRows logged = expected_log_rows(spec);
  impression_log_.reserve(static_cast<std::size_t>(logged.impressions * kLogRoom));
  candidate_log_.reserve(static_cast<std::size_t>(logged.candidates * kLogRoom));
  const std::vector<double> reserves = partner_reserves(partners_);
  const RecommenderContext context{&market_,
                                   offer_features_,
                                   users_.size(),
                                   users_.region_count(),
                                   reserves,
                                   key,
                                   spec.evaluation.importance_every,
                                   &truth_view_};
  RecommenderBuilder arms(context);
  recommenders_.push_back(arms.build(spec.recommender, spec.combinations.instances.front()));
  for (std::size_t c = 1; c < spec.combinations.recommenders.size(); ++c)
    recommenders_.push_back(
        arms.build(spec.combinations.recommenders[c], spec.combinations.instances[c]));
  for (const auto& rec : recommenders_) rec->monitored = spec.evaluation.models;
  for (const OpeTarget& target : spec.ope_targets) {
    // Targets share nothing, with arms or each other: their models learn every logged label.
    ope_targets_.push_back(
        RecommenderBuilder(context).build(target.recommender, ComponentInstances{}));
    ope_targets_.back()->monitored = false;
  }
  target_log_.resize(ope_targets_.size());
  std::uint32_t index = 0;
  for (const auto* group : {&recommenders_, &ope_targets_})
    for (const auto& rec : *group) {
      rec->index = index++;
      for (ModelStage* stage : rec->active_stages())
        if (std::find(distinct_stages_.begin(), distinct_stages_.end(), stage) ==
            distinct_stages_.end())
          distinct_stages_.push_back(stage);
      if (std::find(distinct_pacers_.begin(), distinct_pacers_.end(), rec->pacer.get()) ==
          distinct_pacers_.end())
        distinct_pacers_.push_back(rec->pacer.get());
      if (std::find(distinct_bidders_.begin(), distinct_bidders_.end(), rec->bidder.get()) ==
          distinct_bidders_.end())
        distinct_bidders_.push_back(rec->bidder.get());
    }
  for (const ExperimentSpec& e : spec.experiments)
    experiments_.emplace_back(e, users_.size(), partners_.size(), spec.run.duration_h);
  unit_refs_.resize(experiments_.size());
  sorted_bias_ = spec.truth.position_bias;
  std::sort(sorted_bias_.begin(), sorted_bias_.end(), std::greater<>());
}

ReplicationOutcome World::run(const std::atomic<bool>* stop, std::atomic<std::uint64_t>* progress) {
  ReplicationOutcome outcome;
  queue_.push(0, DayStartEvent{});
  queue_.push(hours_to_time(spec_.run.pacing_interval_h), PacingEvent{});
  if (!drift_times_.empty()) queue_.push(drift_times_.front(), DriftEvent{0});
  if (!experiments_.empty()) {
    const SimTime width = std::max<SimTime>(1, hours_to_time(spec_.run.window_h));
    for (SimTime end = width; end < horizon_; end += width) queue_.push(end, SnapshotEvent{});
  }
  for (const Partner& p : partners_) {
    const SimTime first = arrivals_[p.id].next(0);
    if (first >= 0) queue_.push(first, ArrivalEvent{p.id});
  }
  std::uint64_t published = 0;
  bool stopped = false;
  const auto publish = [&](SimTime now) {
    const auto done = static_cast<std::uint64_t>(static_cast<double>(now) /
                                                 static_cast<double>(horizon_) * kProgressPerWorld);
    if (done > published) progress->fetch_add(done - published, std::memory_order_relaxed);
    published = std::max(published, done);
  };
  while (!queue_.empty() && queue_.next_time() < horizon_) {
    const auto entry = queue_.pop();
    std::visit([&](const auto& event) { on(entry.time, event); }, entry.payload);
    ++outcome.events;
    if (outcome.events % kStopCheckInterval != 0) continue;
    if (progress) publish(entry.time);
    if (stop && stop->load(std::memory_order_relaxed)) {
      stopped = true;
      break;
    }
  }
  if (progress) progress->fetch_sub(published, std::memory_order_relaxed);
  if (stopped) return outcome;
  for (ExperimentTracker& e : experiments_) e.snapshot(horizon_);
  outcome.completed = true;
  return outcome;
}

void World::on(SimTime now, const ArrivalEvent& e) {
  const std::uint64_t n = arrival_count_[e.partner]++;
  const std::uint64_t transaction =
      (static_cast<std::uint64_t>(e.partner) << kTransactionPartnerShift) | n;
  NextUser& picked = next_users_[e.partner];
  const auto pick = [&](std::uint64_t t) {
    const auto u = traffic_rng_.block(0, t);
    return mix_.pick(to_unit_open(u[0]), to_unit_open(u[1]));
  };
  const std::uint32_t user = picked.mix_version == mix_.version() ? picked.user : pick(transaction);
  serve(now, partners_[e.partner], user, transaction);
  const SimTime next = arrivals_[e.partner].next(now);
  if (next >= 0) {
    queue_.push(next, e);
    // Warm the cache line of the next arrival's user: it is served many events from now.
    picked = NextUser{pick(transaction + 1), mix_.version()};
    users_.prefetch(picked.user);
  }
}

void World::on(SimTime now, const ReturnEvent& e) {
  if (users_.visits(e.user) != e.visit) return;  // the user came back earlier by itself
  const std::uint64_t transaction =
      kReturnVisitFlag | (static_cast<std::uint64_t>(e.user) << 32) | e.visit;
  recorder_.add(Metric::kReturnVisits, now, 1.0);
  serve(now, partners_[e.partner], e.user, transaction);
}

void World::on(SimTime now, const ConversionEvent& e) {
  const std::size_t experiments = experiments_.size();
  std::copy_n(attributions_.begin() + static_cast<std::ptrdiff_t>(e.record * experiments),
              experiments, unit_refs_.begin());
  const double price = conversion_prices_[e.record];
  free_records_.push_back(e.record);
  const Offer& offer = market_.offers[e.offer];
  if (offer.bid_type == BidType::kFirstParty) {
    recorder_.add(Metric::kFirstPartyConversions, now, 1.0);
    recorder_.add(Metric::kFirstPartyValue, now, offer.bid);
    return;
  }
  const Advertiser& advertiser = market_.advertisers[offer.advertiser];
  recorder_.add(Metric::kConversions, now, 1.0);
  recorder_.add(Metric::kConversionValue, now, advertiser.value_per_conversion);
  tally(UnitMetric::kConversions, 1.0);
  tally(UnitMetric::kConversionValue, advertiser.value_per_conversion);
  auto& totals = ledger_.totals(offer.advertiser);
  totals.conversions += 1;
  totals.conversion_value += advertiser.value_per_conversion;
  if (offer.bid_type == BidType::kCpa) {
    const double billed = ledger_.charge(offer.advertiser, price);
    const double share = partners_[e.partner].revenue_share;
    recorder_.add(Metric::kSpend, now, billed);
    recorder_.add(Metric::kPartnerRevenue, now, billed * share);
    recorder_.add(Metric::kRevenue, now, billed * (1 - share));
    tally(UnitMetric::kSpend, billed);
    tally(UnitMetric::kRevenue, billed * (1 - share));
  }
}

void World::on(SimTime now, const SnapshotEvent&) {
  for (ExperimentTracker& e : experiments_) e.snapshot(now);
}

Recommender& World::assign(SimTime now, const Partner& partner, std::uint32_t user,
                           std::uint64_t transaction) {
  std::size_t combination = 0;
  for (std::size_t e = 0; e < experiments_.size(); ++e) {
    ExperimentTracker& tracker = experiments_[e];
    const ExperimentSegment segment = tracker.spec().segment;
    const int segment_value = segment == ExperimentSegment::kDevice ? users_[user].device
                              : segment == ExperimentSegment::kDay
                                  ? static_cast<int>(now / kMicrosPerDay)
                                  : static_cast<int>(partner.vertical);
    const int arm =
        tracker.assign(now, user, partner.id, transaction, segment_value, unit_refs_[e]);
    combination = combination * (tracker.arm_count() + 1) + static_cast<std::size_t>(arm + 1);
  }
  return *recommenders_[combination];
}

void World::tally(UnitMetric metric, double amount) {
  for (std::size_t e = 0; e < experiments_.size(); ++e)
    experiments_[e].add(unit_refs_[e], metric, amount);
}

void World::on(SimTime now, const DayStartEvent&) {
  ledger_.start_day();
  update_pacing(now);
  if (now + kMicrosPerDay < horizon_) queue_.push(now + kMicrosPerDay, DayStartEvent{});
}

void World::on(SimTime now, const PacingEvent&) {
  if (now % kMicrosPerDay != 0) update_pacing(now);  // at midnight DayStartEvent re-plans
  queue_.push(now + std::max<SimTime>(1, hours_to_time(spec_.run.pacing_interval_h)),
              PacingEvent{});
}

void World::update_pacing(SimTime now) {
  const SimTime day_start = now - now % kMicrosPerDay;
  std::vector<double> budgets;
  for (const Advertiser& a : market_.advertisers) budgets.push_back(a.daily_budget);
  std::vector<double> spend, value;
  for (const auto& t : ledger_.totals()) {
    spend.push_back(t.spend);
    value.push_back(t.conversion_value);
  }
  for (Pacer* pacer : distinct_pacers_)
    pacer->update(PacingView{now, day_start, kMicrosPerDay, budgets, ledger_.spent_today()});
  for (Bidder* bidder : distinct_bidders_)
    bidder->update(BiddingView{market_.advertisers, spend, value});
}

void World::on(SimTime now, const DriftEvent& e) {
  const auto& targets = spec_.drift.targets();
  for (std::size_t t = 0; t < targets.size(); ++t) {
    const double offset = spec_.drift.offset(t, now);
    if (targets[t].domain == DriftTarget::Domain::kTruth) {
      truth_.set_offset(targets[t].coefficient, offset);
    } else {
      mix_.set_offset(targets[t].group, targets[t].index, offset);
    }
    drift_log_.push_back(DriftRecord{now, t, offset});
  }
  if (e.index + 1 < drift_times_.size())
    queue_.push(drift_times_[e.index + 1], DriftEvent{e.index + 1});
}

void World::schedule_return(SimTime now, std::uint32_t user) {
  const std::uint32_t visit = users_.next_visit(user);
  if (spec_.users.return_rate_per_day <= 0) return;  // nobody returns: no rate to compute
  const double rate = users_.return_rate_per_hour(user);
  if (rate <= 0) return;
  const auto u = return_rng_.block(user, visit);
  const double delay_h = -std::log(to_unit_open(u[0])) / rate;
  if (delay_h > time_to_hours(horizon_ - now)) return;
  const double target = to_unit_open(u[1]) * partner_cumulative_rate_.back();
  const auto it =
      std::upper_bound(partner_cumulative_rate_.begin(), partner_cumulative_rate_.end(), target);
  const auto partner = static_cast<std::uint32_t>(
      std::min<std::size_t>(it - partner_cumulative_rate_.begin(), partners_.size() - 1));
  queue_.push(now + hours_to_time(delay_h), ReturnEvent{user, visit, partner});
}

}  // namespace marketsim
