#include "sim/world/traffic_mix.h"

#include <algorithm>
#include <cmath>

namespace marketsim {

TrafficMix::TrafficMix(const UserPopulation& users)
    : users_(&users),
      device_offset_(kDeviceCount, 0.0),
      region_offset_(static_cast<std::size_t>(users.region_count()), 0.0) {
  rebuild();
}

void TrafficMix::set_offset(DriftTarget::MixGroup group, int index, double offset) {
  switch (group) {
    case DriftTarget::MixGroup::kDevice:
      device_offset_.at(index) = offset;
      break;
    case DriftTarget::MixGroup::kRegion:
      region_offset_.at(index) = offset;
      break;
    case DriftTarget::MixGroup::kReturning:
      returning_offset_ = offset;
      break;
  }
  ++version_;
  rebuild();
}

void TrafficMix::rebuild() {
  uniform_ =
      returning_offset_ == 0 &&
      std::all_of(device_offset_.begin(), device_offset_.end(), [](double x) { return x == 0; }) &&
      std::all_of(region_offset_.begin(), region_offset_.end(), [](double x) { return x == 0; });
  cumulative_.clear();
  double total = 0;
  for (int d = 0; d < kDeviceCount; ++d)
    for (int r = 0; r < users_->region_count(); ++r)
      for (int ret = 0; ret < 2; ++ret) {
        const UserAttributes kind{static_cast<std::uint8_t>(d), static_cast<std::uint8_t>(r), 0,
                                  ret == 1};
        const double size =
            static_cast<double>(users_->stratum_members(users_->stratum_of(kind)).size());
        total += size *
                 std::exp(device_offset_[d] + region_offset_[r] + (ret ? returning_offset_ : 0.0));
        cumulative_.push_back(total);
      }
}

std::uint32_t TrafficMix::pick(double u_stratum, double u_user) const {
  if (uniform_) {
    const std::size_t n = users_->size();
    return static_cast<std::uint32_t>(
        std::min(n - 1, static_cast<std::size_t>(u_user * static_cast<double>(n))));
  }
  const double target = u_stratum * cumulative_.back();
  auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
  std::size_t stratum = static_cast<std::size_t>(it - cumulative_.begin());
  stratum = std::min(stratum, cumulative_.size() - 1);
  while (users_->stratum_members(stratum).empty()) stratum = (stratum + 1) % cumulative_.size();
  const auto members = users_->stratum_members(stratum);
  const auto i = std::min(members.size() - 1,
                          static_cast<std::size_t>(u_user * static_cast<double>(members.size())));
  return members[i];
}

}  // namespace marketsim
