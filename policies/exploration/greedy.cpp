#include "policies/exploration/greedy.h"

#include <algorithm>

namespace marketsim {

void Greedy::do_choose(const ExplorationInput& input, int slots, RngStream&, Slate& slate) {
  const std::span<const double> scores = input.scores;
  greedy_order(scores, slots + 1, slate.order);
  slate.shown = std::min<int>(slots, static_cast<int>(scores.size()));
  slate.propensity = 1.0;
}

void register_greedy(ExplorerRegistry& registry) {
  registry.add({"greedy", "always the top candidates by expected value (no exploration)", {}},
               [](const ParamValues&) { return std::make_unique<Greedy>(); });
}

}  // namespace marketsim
