// The oracle ranker: a greedy recommender that ranks by the truth has no regret, and the truth
// view batches the ground truth exactly.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "sim/world/world.h"
#include "sim/world/world_spec.h"
#include "sim/world/world_truth_view.h"

using namespace marketsim;

namespace {

// 4 partners, 8 advertisers, 12 hours, the oracle on every request, no pacing, no reserve.
ParamValues oracle_world(const std::string& ranker) {
  ParamValues v = defaults_of(scenario_schema());
  v.set("users.count", std::int64_t{5000});
  v.set("partners.count", std::int64_t{4});
  v.set("partners.transactions_per_hour", 500.0);
  v.set("partners.reserve_price", 0.0);
  v.set("advertisers.count", std::int64_t{8});
  v.set("advertisers.daily_budget_mean", 1e9);
  v.set("run.duration_h", 12.0);
  v.set("run.oracle_every", std::int64_t{1});
  v.set("recommender.ranker.type", ranker);
  v.set("recommender.conversion_model.type", ranker == "oracle" ? ranker : std::string("beta"));
  v.set("recommender.candidates.type", std::string("all_eligible"));
  v.set("recommender.explorer.type", std::string("greedy"));
  v.set("recommender.pacer.type", std::string("none"));
  return v;
}

}  // namespace

TEST_CASE("a greedy recommender ranking by the truth has no regret", "[sim][world][oracle]") {
  const WorldSpec oracle_spec = WorldSpec::from(oracle_world("oracle"));
  World oracle(oracle_spec, ReplicationKey{3, 0});
  REQUIRE(oracle.run().completed);
  const double value = oracle.recorder().total(Metric::kOracleValue);
  REQUIRE(value > 0);
  // Regret is the oracle's value minus the policy's, summed over the same requests: only
  // rounding separates them.
  CHECK(std::abs(oracle.recorder().total(Metric::kRegret)) <= 1e-9 * value);

  const WorldSpec learned_spec = WorldSpec::from(oracle_world("beta"));
  World learned(learned_spec, ReplicationKey{3, 0});
  REQUIRE(learned.run().completed);
  CHECK(learned.recorder().total(Metric::kRegret) > 0.01 * value);
}

TEST_CASE("the truth view batches the ground truth exactly", "[sim][world][oracle]") {
  // The batch scores offers two at a time (and an odd one alone), unrolled for 8 and 16 latent
  // dimensions: every path must give the single offer's probability to the bit.
  for (const std::int64_t latent_dim : {5, 8, 16}) {
    ParamValues v = oracle_world("oracle");
    v.set("users.latent_dim", latent_dim);
    const WorldSpec spec = WorldSpec::from(v);
    const ReplicationKey key{3, 0};
    const UserPopulation users(spec.users, key);
    const auto partners =
        make_partners(spec.partners, static_cast<int>(spec.advertisers.categories), key);
    const AdvertiserMarket market = make_market(spec.advertisers, partners, spec.partners,
                                                static_cast<int>(spec.users.latent_dim), key);
    const GroundTruth truth(spec.truth, market, users.region_count(), key);
    const WorldTruthView view(truth, users, partners);
    std::vector<std::uint32_t> all(market.offers.size());
    std::iota(all.begin(), all.end(), 0u);
    std::vector<float> latent(static_cast<std::size_t>(users.latent_dim()));
    for (const std::size_t count : {all.size(), all.size() - 1, std::size_t{1}}) {
      const std::span<const std::uint32_t> offers(all.data(), count);
      std::vector<double> batch(count), conversions(count);
      for (std::uint32_t user : {0u, 17u, 4999u}) {
        RequestFeatures request;
        request.user = user;
        request.partner = 2;
        request.device = kMissingFeature;  // the view reads the true user, not the served features
        view.click_probabilities(request, offers, batch);
        view.conversion_probabilities(offers, conversions);
        users.latent(user, latent);
        const TruthContext ctx{&users[user], latent, partners[2].vertical};
        for (std::uint32_t o : offers) {
          CHECK(batch[o] == truth.base_click_probability(ctx, o));
          CHECK(conversions[o] == truth.conversion_probability(o));
        }
      }
    }
  }
}
