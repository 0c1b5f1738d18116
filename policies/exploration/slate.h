// Slate: the ordered offers an explorer chose to show, with the probability of that choice.
#pragma once

#include <vector>

namespace marketsim {

// The outcome of exploration for one request. `order` holds candidate indices: the first `shown`
// are displayed top-down, and the entry after them (when present) is the runner-up that prices
// the last slot. `propensity` is the exact probability that the explorer shows this ordered slate
// given the scores (logged for off-policy evaluation); where no closed form exists it is a Monte
// Carlo estimate and `propensity_estimated` says so.
struct Slate {
  std::vector<int> order;
  int shown = 0;
  double propensity = 1.0;
  bool propensity_estimated = false;  // true when no closed form exists and it was estimated
  bool explored = false;              // true when the slate departs from the greedy choice

  void clear() {
    order.clear();
    shown = 0;
    propensity = 1.0;
    propensity_estimated = false;
    explored = false;
  }
};

}  // namespace marketsim
