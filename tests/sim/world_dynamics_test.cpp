// The world's dynamics: drift at its scheduled time, the oracle bound, clickbait and returns,
// data drift, train/serve skew.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "sim/world/world.h"
#include "sim/world/world_spec.h"

using namespace marketsim;

namespace {

ParamValues base_world() {
  ParamValues v = defaults_of(scenario_schema());
  v.set("users.count", std::int64_t{5000});
  v.set("partners.count", std::int64_t{4});
  v.set("partners.transactions_per_hour", 400.0);
  v.set("advertisers.count", std::int64_t{8});
  v.set("run.duration_h", 30.0);
  return v;
}

void add_drift(ParamValues& v, const std::string& target, const std::string& kind, double at_h,
               double delta) {
  const std::int64_t i = v.get_int("drift");
  const std::string p = "drift." + std::to_string(i) + ".";
  v.set("drift", i + 1);
  v.set(p + "target", target);
  v.set(p + "kind", kind);
  v.set(p + "at_h", at_h);
  v.set(p + "duration_h", 10.0);
  v.set(p + "period_h", 24.0);
  v.set(p + "delta", delta);
}

double sum(const std::vector<double>& x, std::size_t from, std::size_t to) {
  return std::accumulate(x.begin() + static_cast<std::ptrdiff_t>(from),
                         x.begin() + static_cast<std::ptrdiff_t>(to), 0.0);
}

}  // namespace

TEST_CASE("sudden drift changes the truth exactly at the scheduled time", "[sim][drift]") {
  ParamValues v = base_world();
  add_drift(v, "truth.click_intercept", "sudden", 10.0, -1.0);
  const WorldSpec spec = WorldSpec::from(v);
  const SimTime at = hours_to_time(10.0);
  CHECK(spec.drift.offset(0, at - 1) == 0.0);
  CHECK(spec.drift.offset(0, at) == -1.0);
  CHECK(spec.drift.change_times(hours_to_time(30.0)) == std::vector<SimTime>{at});

  World world(spec, ReplicationKey{spec.run.seed, 0});
  REQUIRE(world.run().completed);
  REQUIRE(world.drift_log().size() == 1);
  CHECK(world.drift_log()[0].time == at);
  CHECK(world.drift_log()[0].offset == -1.0);
  // The truth after the change is the original truth with the intercept moved by -1.
  GroundTruth original(spec.truth, world.market(), world.users().region_count(),
                       ReplicationKey{spec.run.seed, 0});
  std::vector<float> latent(static_cast<std::size_t>(world.users().latent_dim()));
  world.users().latent(0, latent);
  const TruthContext ctx{&world.users()[0], latent, 0};
  const double before = original.base_click_probability(ctx, 0);
  const double after = world.truth().base_click_probability(ctx, 0);
  CHECK(std::log(after / (1 - after)) == Approx(std::log(before / (1 - before)) - 1.0));
}

TEST_CASE("gradual and seasonal drift follow their shapes", "[sim][drift]") {
  ParamValues v = base_world();
  add_drift(v, "truth.device_effect.android", "gradual", 5.0, 2.0);
  add_drift(v, "mix.device.ios", "seasonal", 0.0, 1.0);
  const WorldSpec spec = WorldSpec::from(v);
  CHECK(spec.drift.offset(0, hours_to_time(5.0)) == 0.0);
  CHECK(spec.drift.offset(0, hours_to_time(7.5)) == Approx(0.5));
  CHECK(spec.drift.offset(0, hours_to_time(20.0)) == Approx(2.0));
  CHECK(spec.drift.offset(1, hours_to_time(6.0)) == Approx(1.0));
  CHECK(spec.drift.offset(1, hours_to_time(18.0)) == Approx(-1.0));
}

TEST_CASE("a bad drift target is a usage error at its key", "[sim][drift]") {
  ParamValues v = base_world();
  add_drift(v, "truth.device_effect.tablet", "sudden", 1.0, 1.0);
  CHECK_THROWS_WITH(WorldSpec::from(v),
                    Catch::Contains("drift.0.target") && Catch::Contains("unknown drift target"));
}

TEST_CASE("the oracle's allocation beats or ties every policy on true expected value",
          "[sim][world][oracle]") {
  for (const auto& name : explorer_registry().names()) {
    ParamValues v = base_world();
    v.set("run.duration_h", 6.0);
    v.set("run.window_h", 0.25);
    v.set("recommender.explorer.type", name);
    v.set("advertisers.bid_type_share", std::vector<double>{1, 1, 1});
    const WorldSpec spec = WorldSpec::from(v);
    World world(spec, ReplicationKey{spec.run.seed, 0});
    REQUIRE(world.run().completed);
    INFO("explorer " << name);
    for (double regret : world.recorder().series(Metric::kRegret)) CHECK(regret >= -1e-9);
    CHECK(world.recorder().total(Metric::kOracleValue) > 0);
  }
}

TEST_CASE("clickbait raises short-term CTR and lowers the return rate", "[sim][world][clickbait]") {
  // The same world twice: in one, offers 0 and 1 are clickbait (+2.5 click logit, quality 0.02).
  // The ranker optimizes clicks (10% exploration, so that every offer gets tried; budgets do not
  // bind) and learns to show them. CTR over the first day is higher and return visits over days
  // 2-4 are fewer. Three replications; each paired difference must have the expected sign.
  for (std::uint64_t r = 0; r < 3; ++r) {
    ParamValues quality = base_world();
    quality.set("run.duration_h", 96.0);
    quality.set("run.window_h", 24.0);
    quality.set("users.count", std::int64_t{3000});
    quality.set("users.return_rate_per_day", 0.5);
    quality.set("partners.block_probability", 0.0);
    quality.set("advertisers.daily_budget_mean", 1e6);
    quality.set("recommender.objective.revenue_weight", 0.0);
    quality.set("recommender.objective.click_weight", 1.0);
    quality.set("recommender.explorer.epsilon_greedy.epsilon", 0.1);
    quality.set("truth.clickbait_click_boost", 2.5);
    quality.set("truth.clickbait_quality", 0.02);
    ParamValues clickbait = quality;
    clickbait.set("truth.clickbait_offers", std::int64_t{2});
    const WorldSpec qs = WorldSpec::from(quality), cs = WorldSpec::from(clickbait);
    World q(qs, ReplicationKey{qs.run.seed, r}), c(cs, ReplicationKey{cs.run.seed, r});
    REQUIRE(q.run().completed);
    REQUIRE(c.run().completed);
    const auto ctr = [](const World& w) {
      return w.recorder().series(Metric::kClicks)[0] / w.recorder().series(Metric::kImpressions)[0];
    };
    INFO("replication " << r);
    CHECK(ctr(c) > ctr(q));
    const auto returns = [](const World& w) {
      return sum(w.recorder().series(Metric::kReturnVisits), 1, 4);
    };
    CHECK(returns(c) < returns(q));
  }
}

TEST_CASE("data drift shifts the traffic mix at the scheduled time", "[sim][drift][mix]") {
  ParamValues v = base_world();
  v.set("run.window_h", 10.0);
  v.set("users.return_rate_per_day", 0.0);
  add_drift(v, "mix.device.android", "sudden", 10.0, std::log(3.0));
  const WorldSpec spec = WorldSpec::from(v);
  World world(spec, ReplicationKey{spec.run.seed, 0});
  REQUIRE(world.run().completed);
  const auto android = world.recorder().series(Metric::kAndroidTransactions);
  const auto all = world.recorder().series(Metric::kTransactions);
  // Android share s = 0.55 becomes 3s / (3s + 1 - s) = 0.786 after the drift.
  const double before = android[0] / all[0], after = android[2] / all[2];
  CHECK(std::abs(before - 0.55) < 4 * std::sqrt(0.55 * 0.45 / all[0]));
  CHECK(std::abs(after - 1.65 / 2.1) < 4 * std::sqrt(0.786 * 0.214 / all[2]));
}

TEST_CASE("features missing at serving change predictions but not the logs", "[sim][skew]") {
  SkewSpec skew;
  skew.device_missing = 0.5;
  skew.returning_stale = 1.0;
  skew.start_h = 2.0;
  const FeatureSkew injector(skew, 4, ReplicationKey{1, 0});
  RequestFeatures truth;
  truth.device = 1;
  truth.returning = true;
  int missing = 0;
  const int n = 20000;
  const SimTime after = hours_to_time(2.0), before = after - 1;
  for (int t = 0; t < n; ++t) {
    const auto transaction = static_cast<std::uint64_t>(t);
    const RequestFeatures early = injector.serving_view(truth, transaction, before);
    CHECK((early.device == truth.device && early.returning));  // no skew before start_h
    const RequestFeatures served = injector.serving_view(truth, transaction, after);
    missing += served.device == kMissingFeature;
    CHECK_FALSE(served.returning);
    CHECK(served.region == truth.region);
  }
  CHECK(std::abs(missing / double(n) - 0.5) < 4 * std::sqrt(0.25 / n));
}

TEST_CASE("a user costs a few dozen bytes", "[agents][users][memory]") {
  PopulationSpec spec = WorldSpec::from(base_world()).users;
  spec.count = 100000;
  REQUIRE(spec.latent_dim == 8);
  const auto traits = std::make_shared<const PopulationTraits>(spec, ReplicationKey{1, 0});
  const UserPopulation users(spec, traits), other_cell(spec, traits);
  // Shared by the worlds of a replication: a 16-byte record (attributes 4, latent up to 12) + 4
  // (strata index). Each world's own: satisfaction 4 + visits 4.
  CHECK(users.trait_bytes_per_user() == Approx(20.0).margin(0.5));
  CHECK(PopulationTraits::bytes_per_user(spec.latent_dim) == users.trait_bytes_per_user());
  CHECK(users.own_bytes_per_user() == Approx(8.0).margin(0.5));
  CHECK(&users.traits() == &other_cell.traits());
  // A user's record is one aligned 16-byte block (a request touches one cache line of it); the
  // attributes open it.
  CHECK(reinterpret_cast<std::uintptr_t>(&users.traits()[0]) % 16 == 0);

  // More than 12 latent dimensions take a 32-byte record, aligned to 32 bytes: 100 000 records are
  // 3.2 MB, mapped apart from the heap on a 2 MiB boundary.
  spec.latent_dim = 20;
  const PopulationTraits wide(spec, ReplicationKey{1, 0});
  CHECK(wide.bytes_per_user() == Approx(36.0).margin(0.5));
  CHECK(PopulationTraits::bytes_per_user(spec.latent_dim) == wide.bytes_per_user());
  CHECK(reinterpret_cast<std::uintptr_t>(&wide[0]) % 32 == 0);
}

TEST_CASE("a user's traits are the same whatever the record's layout", "[agents][users]") {
  // Each user draws its attributes, then its latent values in order: a population of 13
  // dimensions (two chunks per record) agrees with one of 12 (one chunk) on the attributes and the
  // first 12 values, and its 13th values are the standard normal's, quantized, independent of the
  // first 12.
  PopulationSpec spec = WorldSpec::from(base_world()).users;
  spec.count = 20000;
  spec.latent_dim = 12;
  const PopulationTraits narrow(spec, ReplicationKey{3, 1});
  spec.latent_dim = 13;
  const PopulationTraits wide(spec, ReplicationKey{3, 1});
  std::vector<float> a(12), b(13);
  double sum = 0, sum_squares = 0;
  std::vector<double> cross(12, 0.0);
  bool same = true;
  for (std::size_t u = 0; u < narrow.size(); ++u) {
    narrow.latent(u, a);
    wide.latent(u, b);
    same = same && std::equal(a.begin(), a.end(), b.begin()) &&
           narrow[u].device == wide[u].device && narrow[u].region == wide[u].region &&
           narrow[u].age_band == wide[u].age_band && narrow[u].returning == wide[u].returning;
    sum += b[12];
    sum_squares += double(b[12]) * b[12];
    for (std::size_t j = 0; j < 12; ++j) cross[j] += double(b[12]) * b[j];
  }
  CHECK(same);
  const double n = static_cast<double>(narrow.size());
  // Mean 0, second moment 1 (quantization to steps of 1/32 adds 1/12/32^2, negligible) and no
  // correlation with the other values, within 4 standard errors: 1/sqrt(n) for the mean and the
  // cross moments of independent standard normals, sqrt(2/n) for the second moment.
  CHECK(std::abs(sum / n) < 4 / std::sqrt(n));
  CHECK(std::abs(sum_squares / n - 1) < 4 * std::sqrt(2 / n));
  for (double c : cross) CHECK(std::abs(c / n) < 4 / std::sqrt(n));
}

TEST_CASE("every offer has its own hidden truth, first-party offers included", "[sim][truth]") {
  ParamValues v = base_world();
  v.set("partners.first_party_offers", std::int64_t{3});
  const WorldSpec spec = WorldSpec::from(v);
  const ReplicationKey key{spec.run.seed, 0};
  const auto partners = make_partners(spec.partners, int(spec.advertisers.categories), key);
  const AdvertiserMarket market =
      make_market(spec.advertisers, partners, spec.partners, int(spec.users.latent_dim), key);
  const UserPopulation users(spec.users, key);
  const GroundTruth truth(spec.truth, market, users.region_count(), key);
  for (std::size_t i = 1; i < market.offers.size(); ++i) {
    const Offer& a = market.offers[i - 1];
    const Offer& b = market.offers[i];
    if (a.product == b.product) continue;  // creatives of one offer share its quality
    CHECK(truth.quality(a.id) != truth.quality(b.id));
  }
}
