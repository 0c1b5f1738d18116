// The recommender's market-side components inside a running world: pacing, bidding, reserves,
// latency measurement and the objective.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "sim/world/world.h"
#include "sim/world/world_spec.h"

using namespace marketsim;

namespace {

ParamValues market_world() {
  ParamValues v = defaults_of(scenario_schema());
  v.set("users.count", std::int64_t{5000});
  v.set("users.return_rate_per_day", 0.0);
  v.set("partners.count", std::int64_t{4});
  v.set("partners.transactions_per_hour", 600.0);
  v.set("advertisers.count", std::int64_t{8});
  v.set("advertisers.daily_budget_mean", 60.0);  // far below demand: budgets bind
  v.set("run.duration_h", 48.0);
  v.set("run.window_h", 1.0);
  return v;
}

// Spend per hour of the day, summed over days, from an hourly series.
std::vector<double> spend_by_hour(const Recorder& r) {
  std::vector<double> by_hour(24, 0.0);
  const auto spend = r.series(Metric::kSpend);
  for (std::size_t w = 0; w < spend.size(); ++w) by_hour[w % 24] += spend[w];
  return by_hour;
}

}  // namespace

TEST_CASE("pacing spreads spend over the day and never exceeds budgets", "[sim][pacing]") {
  ParamValues none = market_world();
  ParamValues pid = market_world();
  pid.set("recommender.pacer.type", std::string("pid"));
  ParamValues throttle = market_world();
  throttle.set("recommender.pacer.type", std::string("throttle"));
  std::vector<double> late_share;
  for (const ParamValues* v : {&none, &pid, &throttle}) {
    const WorldSpec spec = WorldSpec::from(*v);
    World world(spec, ReplicationKey{spec.run.seed, 0});
    REQUIRE(world.run().completed);
    double budgets = 0;
    for (const Advertiser& a : world.market().advertisers) budgets += a.daily_budget;
    const auto spend = world.recorder().series(Metric::kSpend);
    for (std::size_t day = 0; day < 2; ++day) {
      const double day_spend =
          std::accumulate(spend.begin() + day * 24, spend.begin() + day * 24 + 24, 0.0);
      CHECK(day_spend <= budgets * (1 + 1e-9));
    }
    const auto by_hour = spend_by_hour(world.recorder());
    const double total = std::accumulate(by_hour.begin(), by_hour.end(), 0.0);
    late_share.push_back(std::accumulate(by_hour.begin() + 18, by_hour.end(), 0.0) / total);
  }
  // Without pacing tight budgets are gone before the evening; paced spend reaches it.
  CHECK(late_share[0] < 0.05);
  CHECK(late_share[1] > 0.1);
  CHECK(late_share[2] > 0.1);
}

TEST_CASE("the ROAS bidder moves CPA campaigns' bids toward their target", "[sim][bidding]") {
  // CPA campaigns bid value / target ROAS and pay at most that per conversion, so their ROAS sits
  // above target: the autobidder raises their bids (prices follow), which lowers their ROAS
  // toward the target.
  ParamValues v = market_world();
  v.set("advertisers.bid_type_share", std::vector<double>{0, 1, 0});
  v.set("advertisers.daily_budget_mean", 1e6);
  ParamValues fixed = v;
  v.set("recommender.bidder.type", std::string("roas_target"));
  const WorldSpec roas_spec = WorldSpec::from(v), fixed_spec = WorldSpec::from(fixed);
  World roas(roas_spec, ReplicationKey{1, 0}), plain(fixed_spec, ReplicationKey{1, 0});
  REQUIRE(roas.run().completed);
  REQUIRE(plain.run().completed);
  double target = 0, spend = 0;  // spend-weighted target ROAS
  for (const Advertiser& a : plain.market().advertisers) {
    target += a.target_roas * plain.ledger().totals()[a.id].spend;
    spend += plain.ledger().totals()[a.id].spend;
  }
  target /= spend;
  const auto roas_of = [](const World& w) {
    return w.recorder().total(Metric::kConversionValue) / w.recorder().total(Metric::kSpend);
  };
  INFO("target " << target << ", fixed " << roas_of(plain) << ", autobidder " << roas_of(roas));
  CHECK(roas_of(plain) > target);
  CHECK(roas.recorder().total(Metric::kSpend) > plain.recorder().total(Metric::kSpend));
  CHECK(std::abs(roas_of(roas) - target) < std::abs(roas_of(plain) - target));
}

TEST_CASE("every stage's latency is measured on sampled requests", "[sim][latency]") {
  ParamValues v = market_world();
  v.set("run.duration_h", 4.0);
  v.set("run.latency_sample_every", std::int64_t{4});
  const WorldSpec spec = WorldSpec::from(v);
  World world(spec, ReplicationKey{1, 0});
  REQUIRE(world.run().completed);
  const double transactions = world.recorder().total(Metric::kTransactions);
  for (std::size_t s = 0; s < kStageCount; ++s) {
    const auto stage = static_cast<Stage>(s);
    INFO("stage " << kStageNames[s]);
    CHECK(world.latency().count(stage) > 0);
    CHECK(world.latency().count(stage) <= transactions / 4 + 1);
    CHECK(world.latency().quantile(stage, 0.5) <= world.latency().quantile(stage, 0.99));
  }
}

TEST_CASE("a learned reserve filters more low bids than a zero reserve", "[sim][reserve]") {
  ParamValues zero = market_world();
  zero.set("partners.reserve_price", 0.0);
  zero.set("advertisers.daily_budget_mean", 1e6);
  ParamValues learned = zero;
  learned.set("recommender.reserve.type", std::string("learned"));
  learned.set("recommender.reserve.learned.quantile", 0.5);
  const WorldSpec zs = WorldSpec::from(zero), ls = WorldSpec::from(learned);
  World a(zs, ReplicationKey{1, 0}), b(ls, ReplicationKey{1, 0});
  REQUIRE(a.run().completed);
  REQUIRE(b.run().completed);
  CHECK(b.recorder().total(Metric::kCandidates) < a.recorder().total(Metric::kCandidates));
}

TEST_CASE("optimizing clicks gets more clicks than optimizing revenue", "[sim][objective]") {
  ParamValues revenue = market_world();
  revenue.set("advertisers.daily_budget_mean", 1e6);
  revenue.set("recommender.explorer.type", std::string("greedy"));
  ParamValues clicks = revenue;
  clicks.set("recommender.objective.revenue_weight", 0.0);
  clicks.set("recommender.objective.click_weight", 1.0);
  const WorldSpec rs = WorldSpec::from(revenue), cs = WorldSpec::from(clicks);
  World r(rs, ReplicationKey{2, 0}), c(cs, ReplicationKey{2, 0});
  REQUIRE(r.run().completed);
  REQUIRE(c.run().completed);
  CHECK(c.recorder().total(Metric::kExpectedClicks) > r.recorder().total(Metric::kExpectedClicks));
  CHECK(r.recorder().total(Metric::kSpend) > c.recorder().total(Metric::kSpend));
}
