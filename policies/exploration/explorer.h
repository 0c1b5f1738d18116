// Explorer: decides which ranked candidates fill the slots, trading revenue for information.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "models/predictor.h"
#include "policies/exploration/slate.h"
#include "sim/core/registry.h"
#include "sim/core/rng.h"

namespace marketsim {

// What an explorer knows about the candidates of one request. score[i] = value_per_click[i] *
// pctr[i] is the expected value of showing candidate i under the model's mean prediction; explorers
// that need the model's uncertainty (UCB, Thompson sampling) ask `model` about `offers`.
struct ExplorationInput {
  std::span<const double> scores;
  std::span<const double> value_per_click;
  std::span<const double> pctr;
  std::span<const std::uint32_t> offers;
  const Predictor* model = nullptr;
  const RequestFeatures* features = nullptr;
  // False when the caller will not read the slate's propensity (the request is not logged):
  // explorers that can only estimate it by simulation (Thompson) then skip the estimate and leave
  // propensity = 1, propensity_estimated = false. Closed-form propensities are always set.
  bool needs_propensity = true;
};

// Chooses an ordered slate of min(slots, candidates) distinct candidates from their scores
// (expected value per impression), and says how likely each candidate is to land in each slot. The
// base class checks the contracts: distinct indices in range, the right slate size, a propensity in
// (0, 1]; per-slot marginals that form, slot by slot, a distribution over the candidates.
// Thread safety: an explorer is used by one World thread. choose() changes its state and reuses
// member buffers; slot_probabilities() is const and the built-ins give it local buffers, so it
// only reads that state: calls may overlap one another but not a choose() on the same object (and
// the model they ask must allow it; Predictor does not promise so).
class Explorer {
 public:
  virtual ~Explorer() = default;

  // Fills `slate` for the candidates of `input`. `rng` is the request's own policy stream.
  void choose(const ExplorationInput& input, int slots, RngStream& rng, Slate& slate);

  // Fills `p` (n x k row-major, k = min(slots, n), n = candidates): p[i * k + s] is the probability
  // that this explorer, in its current state and given `input`, shows candidate i in slot s (the
  // item-position marginals that off-policy estimators of slates weight by). Does not change the
  // explorer's state (the next choose() draws as if this was never called); `rng` is consumed only
  // by explorers that estimate, so pass a stream other than the one choose() will use. Exact where
  // a closed form exists and then returns false; otherwise a Monte Carlo estimate drawn from `rng`,
  // and returns true. Throws std::logic_error when an implementation breaks the contract: every
  // entry in [0, 1], each column summing to 1 and each row to at most 1 (to 1e-9 for rounding);
  // std::invalid_argument when slots < 0 or the input lacks what the explorer needs (as choose()).
  // Example: greedy with scores {0.1, 0.3, 0.2} and 2 slots gives rows {0, 0}, {1, 0}, {0, 1}.
  bool slot_probabilities(const ExplorationInput& input, int slots, RngStream& rng,
                          std::vector<double>& p) const;

 private:
  virtual void do_choose(const ExplorationInput& input, int slots, RngStream& rng,
                         Slate& slate) = 0;
  // slot_probabilities() with `p` already sized n x min(slots, n) and zeroed; slots >= 0.
  virtual bool do_slot_probabilities(const ExplorationInput& input, int slots, RngStream& rng,
                                     std::vector<double>& p) const = 0;
};

// Writes the greedy order into `order`: the top `count` candidates by score, descending, ties to
// the lower index (none when count <= 0). Shared by explorers that exploit.
void greedy_order(std::span<const double> scores, int count, std::vector<int>& order);

// Explorers by name. Context: none.
using ExplorerRegistry = Registry<Explorer>;

// The built-in explorers, registered once.
const ExplorerRegistry& explorer_registry();

}  // namespace marketsim
