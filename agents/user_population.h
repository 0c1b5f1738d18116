// UserPopulation: the users who make transactions, with their observable attributes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/core/param.h"
#include "sim/core/rng.h"

namespace marketsim {

inline constexpr int kDeviceCount = 3;   // 0 android, 1 ios, 2 desktop
inline constexpr int kAgeBandCount = 4;  // 18-29, 30-44, 45-64, 65+

// Scenario parameters of the population (section [users]).
struct PopulationSpec {
  std::int64_t count = 0;
  std::vector<double> device_share;  // kDeviceCount weights
  std::vector<double> region_share;  // one weight per region
  std::vector<double> age_share;     // kAgeBandCount weights
  double returning_share = 0;

  static std::vector<ParamSpec> declare();
  static PopulationSpec from(const ParamValues& values);
};

// Observable attributes of one user, as models and policies see them.
struct UserAttributes {
  std::uint8_t device;
  std::uint8_t region;
  std::uint8_t age_band;
  bool returning;
};

// The users of one replication, stored compactly (4 bytes per user). Each user's attributes are
// drawn from its own stream ("users.attributes", user id), so the population does not depend on
// anything else in the scenario (advertisers, partners, policies).
class UserPopulation {
 public:
  UserPopulation(const PopulationSpec& spec, ReplicationKey key);

  std::size_t size() const { return users_.size(); }
  const UserAttributes& operator[](std::size_t user) const { return users_[user]; }
  int region_count() const { return region_count_; }

 private:
  std::vector<UserAttributes> users_;
  int region_count_;
};

}  // namespace marketsim
