// EpsilonGreedy: exploit with probability 1 - epsilon, show a uniformly random slate otherwise.
#pragma once

#include <vector>

#include "policies/exploration/explorer.h"

namespace marketsim {

// With probability 1 - epsilon the greedy slate; with probability epsilon a uniformly random
// ordered slate of distinct candidates (the runner-up drawn the same way). The propensity of the
// shown ordered slate S of size k from n candidates is exact:
//   (1 - epsilon) * [S is the greedy slate] + epsilon * (n - k)! / n!.
class EpsilonGreedy final : public Explorer {
 public:
  explicit EpsilonGreedy(double epsilon) : epsilon_(epsilon) {}

 private:
  void do_choose(const ExplorationInput& input, int slots, RngStream& rng, Slate& slate) override;

  double epsilon_;
  std::vector<int> greedy_;  // reused buffer
};

// Adds "epsilon_greedy" to the registry.
void register_epsilon_greedy(ExplorerRegistry& registry);

}  // namespace marketsim
