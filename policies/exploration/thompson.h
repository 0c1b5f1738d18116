// Thompson: Thompson sampling, ranking by value per click times one posterior draw of the CTRs.
#pragma once

#include <cstddef>
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
//
// The slot probabilities have no closed form either. slot_probabilities() draws M =
// `propensity_draws` joint posterior draws on the given stream, ranks each like choose(), and with
// C_is of them putting candidate i in slot s estimates (C_is + 1/n) / (M + 1), flagged as
// estimated. The same reasoning, spread over the n candidates of each slot: every column still sums
// to 1 (and every row to at most 1, as k <= n), no entry is 0, so an inverse-propensity weight is
// always finite (at most n (M + 1)), and the estimate is consistent (C_is / M -> p_is). With one
// candidate or no slot the probabilities are exact and no posterior is drawn.
class Thompson final : public Explorer {
 public:
  // `propensity_draws` >= 1: the M of the estimates above.
  explicit Thompson(int propensity_draws);

 private:
  void do_choose(const ExplorationInput& input, int slots, RngStream& rng, Slate& slate) override;
  bool do_slot_probabilities(const ExplorationInput& input, int slots, RngStream& rng,
                             std::vector<double>& p) const override;

  // Draws the posterior into `draw` and fills `value` = value_per_click * draw (both sized n;
  // choose() passes its members, slot_probabilities() locals).
  static void draw_values(const ExplorationInput& input, RngStream& rng, std::vector<double>& draw,
                          std::vector<double>& value);
  // Puts the first `count` candidates by `value` (descending, ties to the lower index) in `order`.
  static void rank(const std::vector<double>& value, std::size_t count, std::vector<int>& order);
  // True when ranking by value_ puts the k shown entries of `order` on top, in that order.
  bool ranks_first(const std::vector<int>& order, int k) const;

  int propensity_draws_;
  std::vector<double> draw_;  // reused buffers of choose()
  std::vector<double> value_;
  std::vector<char> in_slate_;
  std::vector<int> greedy_;
};

// Adds "thompson" to the registry.
void register_thompson(ExplorerRegistry& registry);

}  // namespace marketsim
