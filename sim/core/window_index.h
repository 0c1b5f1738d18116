// WindowIndex: the recording window of a time, cheap for times that come in order.
#pragma once

#include <cstddef>

#include "sim/core/sim_time.h"

namespace marketsim {

// Maps a time t >= 0 to its window t / width. Remembers the last window, so that the times of an
// event loop (nearly always in the same window as the previous one) cost two comparisons instead
// of a 64-bit division. Not safe to share between threads.
class WindowIndex {
 public:
  explicit WindowIndex(SimTime width) : width_(width) {}

  std::size_t operator()(SimTime time) const {
    if (time < start_ || time >= start_ + width_) {
      index_ = static_cast<std::size_t>(time / width_);
      start_ = static_cast<SimTime>(index_) * width_;
    }
    return index_;
  }

  SimTime width() const { return width_; }

 private:
  SimTime width_;
  mutable SimTime start_ = 0;
  mutable std::size_t index_ = 0;
};

}  // namespace marketsim
