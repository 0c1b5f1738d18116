#include "agents/user_population.h"

#include <boost/random/discrete_distribution.hpp>
#include <boost/random/uniform_01.hpp>

namespace marketsim {

std::vector<ParamSpec> PopulationSpec::declare() {
  return {
      ParamSpec::integer("count", 100000, 1, 1e8, "number of users in the population"),
      ParamSpec::real_list("device_share", {0.55, 0.30, 0.15}, kDeviceCount, 0, 1e6,
                           "relative weights of android, ios, desktop"),
      ParamSpec::real_list("region_share", {0.4, 0.3, 0.2, 0.1}, 0, 0, 1e6,
                           "relative weights of the regions (their number is the list length)"),
      ParamSpec::real_list("age_share", {0.25, 0.35, 0.3, 0.1}, kAgeBandCount, 0, 1e6,
                           "relative weights of age bands 18-29, 30-44, 45-64, 65+"),
      ParamSpec::real("returning_share", 0.6, 0, 1, "probability that a user is returning"),
  };
}

namespace {

// Rejects weight lists whose total is zero (no category could ever be drawn).
void require_positive_total(const ParamValues& values, const std::string& path) {
  double total = 0;
  for (double w : values.get_real_list(path)) total += w;
  if (total <= 0) values.fail(path, "weights must not all be zero");
}

}  // namespace

PopulationSpec PopulationSpec::from(const ParamValues& values) {
  for (const char* path : {"device_share", "region_share", "age_share"})
    require_positive_total(values, path);
  PopulationSpec spec;
  spec.count = values.get_int("count");
  spec.device_share = values.get_real_list("device_share");
  spec.region_share = values.get_real_list("region_share");
  spec.age_share = values.get_real_list("age_share");
  spec.returning_share = values.get_real("returning_share");
  return spec;
}

UserPopulation::UserPopulation(const PopulationSpec& spec, ReplicationKey key)
    : region_count_(static_cast<int>(spec.region_share.size())) {
  boost::random::discrete_distribution<int> device(spec.device_share);
  boost::random::discrete_distribution<int> region(spec.region_share);
  boost::random::discrete_distribution<int> age(spec.age_share);
  boost::random::uniform_01<double> unit;
  users_.resize(static_cast<std::size_t>(spec.count));
  for (std::size_t u = 0; u < users_.size(); ++u) {
    RngStream rng(key, "users.attributes", static_cast<std::uint32_t>(u));
    users_[u] = UserAttributes{
        static_cast<std::uint8_t>(device(rng)), static_cast<std::uint8_t>(region(rng)),
        static_cast<std::uint8_t>(age(rng)), unit(rng) < spec.returning_share};
  }
}

}  // namespace marketsim
