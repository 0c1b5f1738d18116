// Segments: groups of similar users, keyed by the served features (device, region, age band,
// returning), that the collaborative and ann generators pool their logs by.
#pragma once

#include <cstddef>

#include "agents/user_population.h"
#include "models/request_features.h"

namespace marketsim {

// Maps a request's served features to a dense segment index. Each categorical feature has one
// bucket per value plus one for a missing value (kMissingFeature, or any value out of range, e.g.
// every region when the region count is unknown), so requests with missing features form segments
// of their own instead of joining a real one.
class Segments {
 public:
  // `regions`: number of user regions (0 when unknown).
  explicit Segments(int regions) : regions_(regions > 0 ? regions : 0) {}

  // Number of segments: (devices + 1) x (regions + 1) x (age bands + 1) x 2.
  std::size_t count() const {
    return static_cast<std::size_t>(kDeviceCount + 1) * (regions_ + 1) * (kAgeBandCount + 1) * 2;
  }

  // The segment of `f`, in [0, count()).
  std::size_t of(const RequestFeatures& f) const {
    const std::size_t device = f.device < kDeviceCount ? f.device : kDeviceCount;
    const std::size_t region = f.region < regions_ ? f.region : regions_;
    const std::size_t age = f.age_band < kAgeBandCount ? f.age_band : kAgeBandCount;
    return ((device * (regions_ + 1) + region) * (kAgeBandCount + 1) + age) * 2 +
           (f.returning ? 1 : 0);
  }

 private:
  int regions_;
};

}  // namespace marketsim
