// World: common random numbers across cells, stream isolation, money accounting, label
// maturity and the evaluation.models switch.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/world/world.h"
#include "sim/world/world_spec.h"

using namespace marketsim;

namespace {

// A small, fast world: 4 partners, 6 simulated hours.
ParamValues small_world() {
  ParamValues v = defaults_of(scenario_schema());
  v.set("users.count", std::int64_t{5000});
  v.set("partners.count", std::int64_t{4});
  v.set("partners.transactions_per_hour", 500.0);
  v.set("advertisers.count", std::int64_t{8});
  v.set("run.duration_h", 30.0);
  v.set("run.window_h", 1.0);
  return v;
}

// A replication's partners, market, users and ground truth, built as a world builds them, for
// drawing outcomes directly.
struct TruthWorld {
  TruthWorld(const WorldSpec& spec, ReplicationKey key)
      : partners(make_partners(spec.partners, int(spec.advertisers.categories), key)),
        market(make_market(spec.advertisers, partners, spec.partners, int(spec.users.latent_dim),
                           key)),
        users(spec.users, key),
        truth(spec.truth, market, users.region_count(), key),
        latent(static_cast<std::size_t>(users.latent_dim())) {}

  // The truth's context for user `u` (valid until the next call).
  TruthContext context(std::size_t u) {
    users.latent(u, latent);
    return TruthContext{&users[u], latent, 0};
  }

  std::vector<Partner> partners;
  AdvertiserMarket market;
  UserPopulation users;
  GroundTruth truth;
  std::vector<float> latent;
};

Recorder run_world(const ParamValues& values, std::uint64_t replication = 0) {
  const WorldSpec spec = WorldSpec::from(values);
  World world(spec, ReplicationKey{spec.run.seed, replication});
  REQUIRE(world.run().completed);
  return world.recorder();
}

// The world of `values` run to its end twice: with its models evaluated and with
// evaluation.models = false.
struct EvaluationPair {
  explicit EvaluationPair(ParamValues values)
      : evaluated_spec(WorldSpec::from(values)),
        unevaluated_spec(WorldSpec::from(without_evaluation(values))),
        evaluated(evaluated_spec, ReplicationKey{evaluated_spec.run.seed, 0}),
        unevaluated(unevaluated_spec, ReplicationKey{unevaluated_spec.run.seed, 0}) {
    REQUIRE(evaluated.run().completed);
    REQUIRE(unevaluated.run().completed);
  }

  static ParamValues without_evaluation(ParamValues values) {
    values.set("evaluation.models", false);
    return values;
  }

  // Every series of the two worlds' recorders is the same.
  void check_same_series() const {
    for (std::size_t m = 0; m < kMetricCount; ++m)
      CHECK(evaluated.recorder().series(static_cast<Metric>(m)) ==
            unevaluated.recorder().series(static_cast<Metric>(m)));
  }

  WorldSpec evaluated_spec;
  WorldSpec unevaluated_spec;
  World evaluated;
  World unevaluated;
};

}  // namespace

TEST_CASE("cells with different policies see the same organic traffic", "[sim][world][crn]") {
  ParamValues greedy = small_world();
  greedy.set("users.return_rate_per_day", 0.0);
  greedy.set("recommender.explorer.type", std::string("greedy"));
  ParamValues explore = greedy;
  explore.set("recommender.explorer.type", std::string("epsilon_greedy"));
  explore.set("recommender.explorer.epsilon_greedy.epsilon", 0.5);
  const Recorder a = run_world(greedy);
  const Recorder b = run_world(explore);
  CHECK(a.series(Metric::kTransactions) == b.series(Metric::kTransactions));
  CHECK(a.total(Metric::kExplored) == 0);
  CHECK(b.total(Metric::kExplored) > 0);
  CHECK(a.series(Metric::kClicks) != b.series(Metric::kClicks));
}

TEST_CASE("a replication is a pure function of its spec and key", "[sim][world][determinism]") {
  const Recorder a = run_world(small_world());
  const Recorder b = run_world(small_world());
  for (std::size_t m = 0; m < kMetricCount; ++m)
    CHECK(a.series(static_cast<Metric>(m)) == b.series(static_cast<Metric>(m)));
  const Recorder other = run_world(small_world(), 1);
  CHECK(other.series(Metric::kTransactions) != a.series(Metric::kTransactions));
}

TEST_CASE("adding an advertiser changes no user, partner or existing offer", "[sim][world][crn]") {
  const ReplicationKey key{7, 0};
  ParamValues v = small_world();
  const WorldSpec five = WorldSpec::from(v);
  v.set("advertisers.count", std::int64_t{9});
  const WorldSpec six = WorldSpec::from(v);
  const auto partners = make_partners(five.partners, int(five.advertisers.categories), key);
  const int dim = static_cast<int>(five.users.latent_dim);
  const AdvertiserMarket m5 = make_market(five.advertisers, partners, five.partners, dim, key);
  const AdvertiserMarket m6 = make_market(six.advertisers, partners, six.partners, dim, key);
  REQUIRE(m6.offers.size() > m5.offers.size());
  std::size_t ads = 0;
  while (ads < m5.offers.size() && m5.offers[ads].bid_type != BidType::kFirstParty) ++ads;
  for (std::size_t i = 0; i < ads; ++i) {
    CHECK(m5.offers[i].bid == m6.offers[i].bid);
    CHECK(m5.offers[i].category == m6.offers[i].category);
    CHECK(m5.offers[i].entity == m6.offers[i].entity);
  }
  UserPopulation users(five.users, key);
  const GroundTruth t5(five.truth, m5, users.region_count(), key);
  const GroundTruth t6(six.truth, m6, users.region_count(), key);
  std::vector<float> latent(dim);
  for (std::uint32_t o = 0; o < ads; ++o)
    for (std::size_t u = 0; u < 50; ++u) {
      users.latent(u, latent);
      const TruthContext ctx{&users[u], latent, partners[u % partners.size()].vertical};
      CHECK(t5.click_probability(ctx, o, 0) == t6.click_probability(ctx, o, 0));
      CHECK(t5.quality(o) == t6.quality(o));
      CHECK(t5.outcome(12345 + u, ctx, o, 1).clicked == t6.outcome(12345 + u, ctx, o, 1).clicked);
    }
  // Organic traffic is unchanged too (return visits depend on what users were shown).
  ParamValues quiet = small_world();
  quiet.set("users.return_rate_per_day", 0.0);
  ParamValues more = quiet;
  more.set("advertisers.count", std::int64_t{9});
  CHECK(run_world(quiet).series(Metric::kTransactions) ==
        run_world(more).series(Metric::kTransactions));
}

TEST_CASE("outcome noise is monotonely coupled across slots", "[sim][world][crn]") {
  const ReplicationKey key{8, 0};
  TruthWorld world(WorldSpec::from(small_world()), key);
  int clicks_top = 0, clicks_low = 0;
  for (std::uint64_t t = 0; t < 20000; ++t) {
    const TruthContext ctx = world.context(t % world.users.size());
    const Outcome top = world.truth.outcome(t, ctx, 0, 0);
    const Outcome low = world.truth.outcome(t, ctx, 0, 2);
    if (low.clicked) REQUIRE(top.clicked);
    clicks_top += top.clicked;
    clicks_low += low.clicked;
  }
  CHECK(clicks_top > clicks_low);
}

TEST_CASE("delay_within is the share of drawn conversion delays within the window",
          "[sim][world][truth]") {
  const ReplicationKey key{9, 0};
  ParamValues values = small_world();
  values.set("truth.conversion_intercept", 3.0);  // most clicks convert: many delays to count
  values.set("truth.conversion_delay_mean_h", 6.0);
  TruthWorld world(WorldSpec::from(values), key);
  const SimTime window = hours_to_time(4.0);
  int converted = 0, within = 0;
  for (std::uint64_t t = 0; t < 200000; ++t) {
    const Outcome outcome = world.truth.outcome(t, world.context(t % world.users.size()), 0, 0);
    if (!outcome.converted) continue;
    ++converted;
    within += outcome.conversion_delay <= window;
  }
  REQUIRE(converted > 2000);
  const double expected = 1 - std::exp(-4.0 / 6.0);  // the exponential's CDF at 4 of mean 6
  CHECK(world.truth.delay_within(window) == Approx(expected).epsilon(1e-12));
  const double se = std::sqrt(expected * (1 - expected) / converted);
  CHECK(std::abs(double(within) / converted - expected) < 4 * se);
}

TEST_CASE("money adds up and daily spend stays within budgets", "[sim][world][accounting]") {
  ParamValues v = small_world();
  v.set("advertisers.daily_budget_mean", 5.0);  // tight: budgets run out
  const WorldSpec spec = WorldSpec::from(v);
  const Recorder r = run_world(v);
  CHECK(r.total(Metric::kSpend) ==
        Approx(r.total(Metric::kRevenue) + r.total(Metric::kPartnerRevenue)));
  CHECK(r.total(Metric::kClicks) <= r.total(Metric::kImpressions));
  CHECK(r.total(Metric::kImpressions) <= spec.partners.slots * r.total(Metric::kTransactions));
  const ReplicationKey key{spec.run.seed, 0};
  const AdvertiserMarket market = make_market(
      spec.advertisers, make_partners(spec.partners, int(spec.advertisers.categories), key),
      spec.partners, int(spec.users.latent_dim), key);
  double daily_budgets = 0;
  for (const Advertiser& a : market.advertisers) daily_budgets += a.daily_budget;
  const auto spend = r.series(Metric::kSpend);  // hourly windows
  for (std::size_t day = 0; day * 24 < spend.size(); ++day) {
    double day_spend = 0;
    for (std::size_t h = day * 24; h < std::min(spend.size(), day * 24 + 24); ++h)
      day_spend += spend[h];
    CHECK(day_spend <= daily_budgets * (1 + 1e-12));
  }
  CHECK(spend.front() > 0);
}

TEST_CASE("labels that would mature at or after the horizon are not kept", "[sim][world][labels]") {
  ParamValues v = small_world();
  v.set("run.duration_h", 6.0);
  v.set("run.attribution_window_h", 24.0);  // every conversion label matures after the run
  const WorldSpec late = WorldSpec::from(v);
  World a(late, ReplicationKey{late.run.seed, 0});
  REQUIRE(a.run().completed);
  CHECK(a.recorder().total(Metric::kClicks) > 0);
  CHECK(a.pending_labels() == 0);
  CHECK(a.stage(ModelRole::kConversionModel).counts().examples == 0);

  v.set("run.attribution_window_h", 2.0);  // those of the first four hours reach the model
  const WorldSpec early = WorldSpec::from(v);
  World b(early, ReplicationKey{early.run.seed, 0});
  REQUIRE(b.run().completed);
  CHECK(b.stage(ModelRole::kConversionModel).counts().examples > 0);
}

TEST_CASE("evaluation.models = false records no model figures and changes nothing else",
          "[sim][world][evaluation]") {
  ParamValues v = small_world();
  v.set("run.duration_h", 6.0);
  v.set("run.attribution_window_h", 2.0);  // conversion labels mature, so the cvr monitor trains
  v.set("recommender.ranker.type", std::string("ftrl"));  // a feature model, with importance
  v.set("evaluation.importance_every", std::int64_t{20});
  const EvaluationPair pair(v);
  const World& evaluated = pair.evaluated;
  const World& unevaluated = pair.unevaluated;
  pair.check_same_series();
  for (const ModelRole role : {ModelRole::kRanker, ModelRole::kConversionModel}) {
    const StageCounts& a = evaluated.stage(role).counts();
    const StageCounts& b = unevaluated.stage(role).counts();
    CHECK(a.examples > 0);
    CHECK(a.examples == b.examples);
    CHECK(a.trained == b.trained);
    CHECK(a.retrains == b.retrains);
    CHECK(a.calibrations == b.calibrations);
  }
  const PermutationImportance* importance = evaluated.stage(ModelRole::kRanker).importance();
  REQUIRE(importance != nullptr);
  REQUIRE(unevaluated.stage(ModelRole::kRanker).importance() != nullptr);
  const std::vector<double> increase = importance->increase();
  CHECK(std::any_of(increase.begin(), increase.end(), [](double x) { return std::isfinite(x); }));
  const std::vector<double> unevaluated_increase =
      unevaluated.stage(ModelRole::kRanker).importance()->increase();
  REQUIRE(unevaluated_increase.size() == increase.size());
  for (std::size_t c = 0; c < increase.size(); ++c)
    CHECK((increase[c] == unevaluated_increase[c] ||
           (std::isnan(increase[c]) && std::isnan(unevaluated_increase[c]))));

  // What the monitor holds of a model: served histograms, trained histograms, matured labels.
  struct Monitored {
    double served = 0, trained = 0, matured = 0;
  };
  const auto monitored = [](const ModelMonitor& monitor, EvaluatedModel model) {
    Monitored sums;
    for (std::size_t w = 0; w < monitor.window_count(); ++w) {
      for (const double c : monitor.serving_fields(model, w)) sums.served += c;
      for (const double c : monitor.serving_predictions(model, w)) sums.served += c;
      for (const double c : monitor.training_fields(model, w)) sums.trained += c;
      sums.matured += monitor.matured(model, w)[0];
    }
    return sums;
  };
  for (const EvaluatedModel model : {EvaluatedModel::kCtr, EvaluatedModel::kCvr}) {
    CHECK(evaluated.model_recorder().total(model).count() > 0);
    const Monitored on = monitored(evaluated.model_monitor(), model);
    CHECK(on.served > 0);
    CHECK(on.trained > 0);
    CHECK(on.matured > 0);
    const PredictionMetrics none = unevaluated.model_recorder().total(model);
    CHECK(none.count() == 0);
    CHECK(std::isnan(none.auc()));
    CHECK(std::isnan(none.log_loss()));
    const Monitored off = monitored(unevaluated.model_monitor(), model);
    CHECK(off.served == 0);
    CHECK(off.trained == 0);
    CHECK(off.matured == 0);
  }
}

TEST_CASE("unevaluated, a click label reaches every stage that learns it and no other",
          "[sim][world][evaluation]") {
  // An oracle ranker learns nothing: with the models unevaluated, its click labels are not built
  // (beta conversion model, which learns clicked impressions' conversions only), or are for a
  // conversion model that learns from them (esmm: clicks, and unclicked conversions at once).
  for (const std::string conversion_model : {"beta", "esmm"}) {
    ParamValues v = small_world();
    v.set("run.duration_h", 4.0);
    v.set("run.attribution_window_h", 1.0);
    v.set("run.click_label_delay_h", 0.5);
    v.set("run.conversion_labels", std::string("at_conversion"));
    v.set("recommender.ranker.type", std::string("oracle"));
    v.set("recommender.conversion_model.type", conversion_model);
    INFO("conversion model " << conversion_model);
    const EvaluationPair pair(v);
    pair.check_same_series();
    CHECK(pair.unevaluated.stage(ModelRole::kRanker).counts().examples == 0);
    const StageCounts& a = pair.evaluated.stage(ModelRole::kConversionModel).counts();
    const StageCounts& b = pair.unevaluated.stage(ModelRole::kConversionModel).counts();
    CHECK(a.examples > 0);
    CHECK(a.examples == b.examples);
    CHECK(a.trained == b.trained);
  }
}
