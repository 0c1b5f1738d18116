// Softmax: Boltzmann exploration, a slate drawn slot by slot with probabilities exp(score / T).
#pragma once

#include <span>
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
//
// Slot probabilities: slot 0 is the softmax itself; slot s sums, over the ordered prefixes of s
// candidates, the prefix's probability times the next-slot softmax over what it leaves. They are
// enumerated exactly (cost about n times the number of prefixes) while the prefixes of the last
// slot, n (n - 1) ... (n - k + 2), number at most kMaxEnumeratedPrefixes. Beyond that they are
// estimated from kMarginalDraws Plackett-Luce slates drawn on the given stream by the Gumbel-top-k
// trick, as (C + 1/n) / (M + 1) with C the draws showing the candidate in the slot (Thompson's
// estimator: columns sum to 1, no entry is 0, standard error at most 0.5 / sqrt(M) = 0.005).
class Softmax final : public Explorer {
 public:
  // Largest number of ordered prefixes enumerated for exact slot probabilities.
  static constexpr double kMaxEnumeratedPrefixes = 2e5;
  // M, the slates drawn when the slot probabilities are estimated.
  static constexpr int kMarginalDraws = 10000;

  // `temperature` > 0.
  Softmax(double temperature, bool relative);

 private:
  void do_choose(const ExplorationInput& input, int slots, RngStream& rng, Slate& slate) override;
  bool do_slot_probabilities(const ExplorationInput& input, int slots, RngStream& rng,
                             std::vector<double>& p) const override;

  // Writes score / T per candidate to `logits` (0 for all when T is 0 under `relative`).
  void compute_logits(std::span<const double> scores, std::vector<double>& logits) const;

  double temperature_;
  bool relative_;
  std::vector<double> logits_;  // reused buffers of choose(); slot_probabilities() uses locals
  std::vector<double> weights_;
  std::vector<char> placed_;
  std::vector<int> greedy_;
};

// Adds "softmax" to the registry.
void register_softmax(ExplorerRegistry& registry);

}  // namespace marketsim
