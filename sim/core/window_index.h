// WindowIndex: which fixed-width recording window a simulated time falls in.
#pragma once

#include <cstddef>

#include "sim/core/sim_time.h"

namespace marketsim {

// The index of the fixed-width window [i * width, (i + 1) * width) that holds a time, remembered
// for the last time asked: a request records many figures at one time, and a 64-bit division
// costs far more than the comparison that finds the answer already known.
class WindowIndex {
 public:
  explicit WindowIndex(SimTime width) : width_(width) {}

  std::size_t of(SimTime time) {
    if (time != time_) {
      time_ = time;
      index_ = static_cast<std::size_t>(time / width_);
    }
    return index_;
  }
  SimTime width() const { return width_; }

 private:
  SimTime width_;
  SimTime time_ = 0;  // 0 lies in window 0
  std::size_t index_ = 0;
};

}  // namespace marketsim
