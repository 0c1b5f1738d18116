// EpsilonGreedy: exploit with probability 1 - epsilon_t, show a uniformly random slate otherwise.
#pragma once

#include <cstdint>
#include <vector>

#include "policies/exploration/explorer.h"

namespace marketsim {

// How the exploration probability falls with the number t of requests served so far.
enum class EpsilonDecay {
  kConstant,     // epsilon_t = epsilon
  kInverseTime,  // epsilon_t = epsilon / (1 + t / tau)
  kExponential,  // epsilon_t = epsilon * exp(-t / tau)
};

// With probability 1 - epsilon_t the greedy slate; with probability epsilon_t a uniformly random
// ordered slate of distinct candidates (the runner-up drawn the same way). t counts the requests
// this explorer has served before the current one (its own counter, so a run stays deterministic;
// the first request uses epsilon_0 = epsilon). The propensity of the shown ordered slate S of size
// k from n candidates is exact:
//   (1 - epsilon_t) * [S is the greedy slate] + epsilon_t * (n - k)! / n!.
// So are its slot probabilities: a uniformly random ordered sample puts each candidate in each slot
// with probability 1 / n, so candidate i is in slot s with probability
//   (1 - epsilon_t) * [i is the greedy slate's slot s] + epsilon_t / n,
// with the epsilon_t of the next request (slot_probabilities() does not count as a request).
class EpsilonGreedy final : public Explorer {
 public:
  // `epsilon` in [0, 1]; `decay_requests` (tau, in requests) > 0, unused for kConstant.
  EpsilonGreedy(double epsilon, EpsilonDecay decay = EpsilonDecay::kConstant,
                double decay_requests = 1e5);

  // The exploration probability after `t` requests served, per the decay schedule.
  double epsilon_at(double t) const;

  // Requests served so far (the t of the next request).
  std::uint64_t requests_served() const { return served_; }

 private:
  void do_choose(const ExplorationInput& input, int slots, RngStream& rng, Slate& slate) override;
  bool do_slot_probabilities(const ExplorationInput& input, int slots, RngStream& rng,
                             std::vector<double>& p) const override;

  double epsilon_;
  EpsilonDecay decay_;
  double tau_;
  std::uint64_t served_ = 0;
  std::vector<int> greedy_;  // reused buffer
};

// Adds "epsilon_greedy" to the registry.
void register_epsilon_greedy(ExplorerRegistry& registry);

}  // namespace marketsim
