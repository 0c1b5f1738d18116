// Slate: the ordered offers an explorer chose to show, with the probability of that choice.
#pragma once

#include <vector>

namespace marketsim {

// The outcome of exploration for one request. `order` holds candidate indices: the first `shown`
// are displayed top-down, and the entry after them (when present) is the runner-up that prices
// the last slot. `propensity` is the exact probability that the explorer shows this ordered slate
// given the scores (logged for off-policy evaluation).
struct Slate {
  std::vector<int> order;
  int shown = 0;
  double propensity = 1.0;
  bool explored = false;

  void clear() {
    order.clear();
    shown = 0;
    propensity = 1.0;
    explored = false;
  }
};

}  // namespace marketsim
