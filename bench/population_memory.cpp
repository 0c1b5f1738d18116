// Memory and build time of a user population: prints one JSON object. bytes_per_user is what one
// world holds alone; shared_bytes_per_user of it (the traits) is held once per replication when
// several cells share the population, own_bytes_per_user once per world.
// Usage: marketsim_bench_population [USERS]   (default 10 000 000)
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "sim/world/world_spec.h"

namespace {

// Resident set size of this process in bytes (from /proc/self/statm).
double resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  double pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * static_cast<double>(sysconf(_SC_PAGESIZE));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace marketsim;
  const std::int64_t users = argc > 1 ? std::atoll(argv[1]) : 10'000'000;
  ParamValues values = defaults_of(scenario_schema());
  values.set("users.count", users);
  const WorldSpec spec = WorldSpec::from(values);
  const double before = resident_bytes();
  const auto start = std::chrono::steady_clock::now();
  const UserPopulation population(spec.users, ReplicationKey{1, 0});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double rss = resident_bytes() - before;
  std::printf(
      "{\"bench\": \"population\", \"users\": %lld, \"latent_dim\": %lld, "
      "\"bytes_per_user\": %.2f, \"shared_bytes_per_user\": %.2f, "
      "\"own_bytes_per_user\": %.2f, \"rss_bytes_per_user\": %.2f, \"build_s\": %.3f}\n",
      static_cast<long long>(population.size()), static_cast<long long>(spec.users.latent_dim),
      population.trait_bytes_per_user() + population.own_bytes_per_user(),
      population.trait_bytes_per_user(), population.own_bytes_per_user(),
      rss / static_cast<double>(users), seconds);
  return 0;
}
