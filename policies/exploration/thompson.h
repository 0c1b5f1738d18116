// Thompson: Thompson sampling, ranking by value per click times one posterior draw of the CTRs.
#pragma once

#include <vector>

#include "policies/exploration/explorer.h"

namespace marketsim {

// Draws the candidates' click probabilities jointly from the model's posterior (input.model->
// sample) and ranks by value_per_click * draw; the slots and the runner-up come from that one draw.
// With a per-offer model ("beta") this is Beta-Bernoulli Thompson sampling per offer; with a
// contextual posterior ("logistic_laplace") it is per-context Thompson sampling (Chapelle & Li
// 2011, Algorithm 3). Needs a model with has_posterior() (std::invalid_argument otherwise).
//
// The probability of the shown ordered slate S has no closed form, so it is estimated from M =
// `propensity_draws` further posterior draws on the same stream: with C of them ranking S on top
// in the same order, the logged propensity is (C + 1) / (M + 1), flagged as estimated. It is never
// 0, never above 1 and consistent (C / M -> p as M grows). It is chosen for off-policy evaluation:
// C ~ Binomial(M, p), so the inverse-propensity weight (M + 1) / (C + 1) has expectation
// (1 - (1 - p)^(M + 1)) / p, i.e. 1/p up to a term that vanishes exponentially in M, whereas the
// estimate of p itself is biased up by (1 - p) / (M + 1). With one candidate the propensity is
// exactly 1 and nothing is estimated (likewise with no slot).
class Thompson final : public Explorer {
 public:
  // `propensity_draws` >= 1: the M of the estimate above.
  explicit Thompson(int propensity_draws);

 private:
  void do_choose(const ExplorationInput& input, int slots, RngStream& rng, Slate& slate) override;

  // Draws the posterior into draw_ and fills value_ = value_per_click * draw.
  void draw_values(const ExplorationInput& input, RngStream& rng);
  // Ranking by the drawn values: a before b when a's value is larger, ties to the lower index.
  bool better(int a, int b) const { return value_[a] != value_[b] ? value_[a] > value_[b] : a < b; }
  // True when ranking by value_ puts the k shown entries of `order` on top, in that order.
  bool ranks_first(const std::vector<int>& order, int k) const;

  int propensity_draws_;
  std::vector<double> draw_;  // reused buffers
  std::vector<double> value_;
  std::vector<char> in_slate_;
  std::vector<int> greedy_;
};

// Adds "thompson" to the registry.
void register_thompson(ExplorerRegistry& registry);

}  // namespace marketsim
