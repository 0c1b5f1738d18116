// Greedy: always show the highest-scoring candidates.
#pragma once

#include "policies/exploration/explorer.h"

namespace marketsim {

// Pure exploitation: the top slots by score, ties to the lower candidate index; propensity 1.
// The slot probabilities are the indicator of that order (exact; no random draws).
class Greedy final : public Explorer {
 private:
  void do_choose(const ExplorationInput& input, int slots, RngStream& rng, Slate& slate) override;
  bool do_slot_probabilities(const ExplorationInput& input, int slots, RngStream& rng,
                             std::vector<double>& p) const override;
};

// Adds "greedy" to the registry.
void register_greedy(ExplorerRegistry& registry);

}  // namespace marketsim
