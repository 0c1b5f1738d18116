// Greedy: the top candidates by score; indicator slot probabilities.
#include "policies/exploration/greedy.h"

#include <algorithm>
#include <vector>

namespace marketsim {

void Greedy::do_choose(const ExplorationInput& input, int slots, RngStream&, Slate& slate) {
  const std::span<const double> scores = input.scores;
  greedy_order(scores, slots + 1, slate.order);
  slate.shown = std::min<int>(slots, static_cast<int>(scores.size()));
  slate.propensity = 1.0;
}

bool Greedy::do_slot_probabilities(const ExplorationInput& input, int slots, RngStream&,
                                   std::vector<double>& p) const {
  const int k = std::min<int>(slots, static_cast<int>(input.scores.size()));
  std::vector<int> order;
  greedy_order(input.scores, k, order);
  for (int s = 0; s < k; ++s) p[order[s] * k + s] = 1.0;
  return false;
}

void register_greedy(ExplorerRegistry& registry) {
  registry.add({"greedy", "always the top candidates by expected value (no exploration)", {}},
               [](const ParamValues&) { return std::make_unique<Greedy>(); });
}

}  // namespace marketsim
