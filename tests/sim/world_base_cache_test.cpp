// WorldBaseCache: the worlds of a replication share one base while any of them holds it;
// different signatures or replications get their own.
#include <catch2/catch.hpp>

#include "sim/runner/world_base_cache.h"
#include "sim/world/world.h"
#include "sim/world/world_spec.h"

using namespace marketsim;

namespace {

ParamValues tiny_world() {
  ParamValues v = defaults_of(scenario_schema());
  v.set("users.count", std::int64_t{2000});
  v.set("partners.count", std::int64_t{2});
  v.set("advertisers.count", std::int64_t{4});
  v.set("run.duration_h", 2.0);
  return v;
}

}  // namespace

TEST_CASE("worlds of one replication share one base while any holds it", "[sim][runner]") {
  const ParamValues values = tiny_world();
  const WorldSpec spec = WorldSpec::from(values);
  const std::string signature = world_base_signature(values);
  WorldBaseCache cache;
  auto a = cache.acquire(signature, 0, spec, ReplicationKey{spec.run.seed, 0});
  auto b = cache.acquire(signature, 0, spec, ReplicationKey{spec.run.seed, 0});
  auto other = cache.acquire(signature, 1, spec, ReplicationKey{spec.run.seed, 1});
  CHECK(a == b);
  CHECK(a != other);
  CHECK(cache.alive() == 2);
  a.reset();
  CHECK(cache.alive() == 2);  // b still holds replication 0's base
  b.reset();
  other.reset();
  CHECK(cache.alive() == 0);  // the cache holds none itself
  const auto again = cache.acquire(signature, 0, spec, ReplicationKey{spec.run.seed, 0});
  CHECK(cache.alive() == 1);
  CHECK(again->users->size() == 2000);
}

TEST_CASE("a base is shared only by cells that agree on the world", "[sim][runner]") {
  const ParamValues base = tiny_world();
  ParamValues policy = base;
  policy.set("recommender.explorer.type", std::string("greedy"));
  policy.set("users.satisfaction_effect", 2.0);  // a world's own state, not the shared traits
  ParamValues users = base;
  users.set("users.returning_share", 0.5);
  ParamValues catalog = base;
  catalog.set("advertisers.count", std::int64_t{5});
  ParamValues nearly = base;
  nearly.set("partners.transactions_per_hour",
             std::nextafter(base.get_real("partners.transactions_per_hour"), 1e9));
  CHECK(world_base_signature(policy) == world_base_signature(base));
  for (const ParamValues* different : {&users, &catalog, &nearly})
    CHECK(world_base_signature(*different) != world_base_signature(base));
}

TEST_CASE("a world over a shared base runs exactly as over its own", "[sim][world][determinism]") {
  ParamValues values = tiny_world();
  const WorldSpec spec = WorldSpec::from(values);
  const ReplicationKey key{spec.run.seed, 0};
  const auto shared = WorldBase::build(spec, key);
  World first(spec, key, shared), second(spec, key, shared), own(spec, key);
  REQUIRE(first.run().completed);
  REQUIRE(second.run().completed);
  REQUIRE(own.run().completed);
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    const auto metric = static_cast<Metric>(m);
    CHECK(first.recorder().series(metric) == own.recorder().series(metric));
    CHECK(second.recorder().series(metric) == own.recorder().series(metric));
  }
}
