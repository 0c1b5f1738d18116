// Ucb1: optimism in the face of uncertainty, ranking by an upper confidence bound on the score.
#pragma once

#include <vector>

#include "policies/exploration/explorer.h"

namespace marketsim {

// Ranks candidates by the index value_per_click * (pctr + c * sqrt(2 ln N / n_i)) (Auer et al.
// 2002, UCB1), where n_i is the model's evidence (impressions) behind candidate i and N = 1 + the
// sum of n_i over the request's candidates. That N is a pure function of the model's state, so the
// explorer keeps no counter of its own and stays correct when the model was trained beforehand; in
// a one-slot K-armed bandit where every arm is a candidate it is the classical N = plays + 1.
// Candidates never shown (n_i = 0) come first, among themselves by mean score. Ties go to the
// higher mean score, then the lower index. The slots and the runner-up follow the index order.
// Deterministic, so the propensity is 1; `explored` is set when the shown slate differs from the
// greedy one on the mean scores. Needs input.model (std::invalid_argument otherwise). The slot
// probabilities are the indicator of that order (exact; no random draws).
class Ucb1 final : public Explorer {
 public:
  // `c` >= 0 scales the confidence width (0 is greedy).
  explicit Ucb1(double c);

 private:
  void do_choose(const ExplorationInput& input, int slots, RngStream& rng, Slate& slate) override;
  bool do_slot_probabilities(const ExplorationInput& input, int slots, RngStream& rng,
                             std::vector<double>& p) const override;

  // Checks `input` and writes the first `count` candidates of the index order to `order`, with
  // `evidence` and `index` as scratch (choose() passes its members, slot_probabilities() locals).
  void index_order(const ExplorationInput& input, std::size_t count, std::vector<double>& evidence,
                   std::vector<double>& index, std::vector<int>& order) const;

  double c_;
  std::vector<double> evidence_;  // reused buffers of choose()
  std::vector<double> index_;
  std::vector<int> greedy_;
};

// Adds "ucb1" to the registry.
void register_ucb1(ExplorerRegistry& registry);

}  // namespace marketsim
