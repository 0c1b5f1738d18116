// Explorer: decides which ranked candidates fill the slots, trading revenue for information.
#pragma once

#include <cstdint>
#include <span>

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
};

// Chooses an ordered slate of min(slots, candidates) distinct candidates from their scores
// (expected value per impression). The base class checks the contract: distinct indices in range,
// the right slate size, a propensity in (0, 1].
class Explorer {
 public:
  virtual ~Explorer() = default;

  // Fills `slate` for the candidates of `input`. `rng` is the request's own policy stream.
  void choose(const ExplorationInput& input, int slots, RngStream& rng, Slate& slate);

 private:
  virtual void do_choose(const ExplorationInput& input, int slots, RngStream& rng,
                         Slate& slate) = 0;
};

// Writes the greedy order into `order`: the top `count` candidates by score, descending, ties to
// the lower index. Shared by explorers that exploit.
void greedy_order(std::span<const double> scores, int count, std::vector<int>& order);

// Explorers by name. Context: none.
using ExplorerRegistry = Registry<Explorer>;

// The built-in explorers, registered once.
const ExplorerRegistry& explorer_registry();

}  // namespace marketsim
