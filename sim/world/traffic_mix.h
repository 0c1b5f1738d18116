// TrafficMix: which users arrive — the population mix and its data drift.
#pragma once

#include <cstdint>
#include <vector>

#include "agents/drift_schedule.h"
#include "agents/user_population.h"

namespace marketsim {

// Picks the user of an organic arrival. Without drift every user is equally likely: the user is
// u_user x N. Data drift multiplies the arrival weight of a group of users (a device, a region,
// returning users) by exp(offset); while any offset is non-zero users are picked by stratum
// (device x region x returning) with probability proportional to stratum size x weight, then
// uniformly within the stratum. Before the first drift both ways pick the same users.
class TrafficMix {
 public:
  explicit TrafficMix(const UserPopulation& users);

  // Sets the log-weight offset of a mix group (replacing its previous offset).
  void set_offset(DriftTarget::MixGroup group, int index, double offset);

  // The user picked by the uniforms (u_stratum, u_user) in (0, 1).
  std::uint32_t pick(double u_stratum, double u_user) const;

  // Grows with every set_offset: a pick made under an older version may differ now.
  std::uint64_t version() const { return version_; }

 private:
  void rebuild();

  const UserPopulation* users_;
  std::vector<double> device_offset_, region_offset_;
  double returning_offset_ = 0;
  std::vector<double> cumulative_;  // per stratum
  bool uniform_ = true;             // no offset is set: pick directly
  std::uint64_t version_ = 1;
};

}  // namespace marketsim
