// Explorer: decides which ranked candidates fill the slots, trading revenue for information.
#pragma once

#include <span>

#include "policies/exploration/slate.h"
#include "sim/core/registry.h"
#include "sim/core/rng.h"

namespace marketsim {

// Chooses an ordered slate of min(slots, candidates) distinct candidates from their scores
// (expected value per impression). The base class checks the contract: distinct indices in range,
// the right slate size, a propensity in (0, 1].
class Explorer {
 public:
  virtual ~Explorer() = default;

  // Fills `slate` for candidates with `scores`. `rng` is the request's own policy stream.
  void choose(std::span<const double> scores, int slots, RngStream& rng, Slate& slate);

 private:
  virtual void do_choose(std::span<const double> scores, int slots, RngStream& rng,
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
