// Softmax: Boltzmann exploration, a slate drawn slot by slot with probabilities exp(score / T).
#pragma once

#include <vector>

#include "policies/exploration/explorer.h"

namespace marketsim {

// Fills the slots top-down by sampling without replacement (Plackett-Luce): slot s takes candidate
// c with probability exp(score_c / T) / sum over the candidates not yet placed of exp(score / T);
// the runner-up is drawn the same way from what is left. The logged propensity of the shown ordered
// slate is exact: the product of those per-slot probabilities (the runner-up is not part of it).
// T is `temperature` in units of the score (USD per impression), or, when `relative`, temperature
// times the largest |score| of the request, so that one setting suits requests whose scores are
// cents and those whose scores are dollars. All scores zero under `relative` means a uniform draw.
// Computed with the maximum subtracted, so no exp() overflows. `explored` is set when the shown
// slate differs from the greedy one.
class Softmax final : public Explorer {
 public:
  // `temperature` > 0.
  Softmax(double temperature, bool relative);

 private:
  void do_choose(const ExplorationInput& input, int slots, RngStream& rng, Slate& slate) override;

  double temperature_;
  bool relative_;
  std::vector<double> logits_;  // reused buffers
  std::vector<char> placed_;
  std::vector<int> greedy_;
};

// Adds "softmax" to the registry.
void register_softmax(ExplorerRegistry& registry);

}  // namespace marketsim
