// Greedy: always show the highest-scoring candidates.
#pragma once

#include "policies/exploration/explorer.h"

namespace marketsim {

// Pure exploitation: the top slots by score, ties to the lower candidate index; propensity 1.
class Greedy final : public Explorer {
 private:
  void do_choose(const ExplorationInput& input, int slots, RngStream& rng, Slate& slate) override;
};

// Adds "greedy" to the registry.
void register_greedy(ExplorerRegistry& registry);

}  // namespace marketsim
