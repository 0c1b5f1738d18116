// Explorer: the contract checks around the explorers' hooks, the greedy order and the registry.
#include "policies/exploration/explorer.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "policies/exploration/epsilon_greedy.h"
#include "policies/exploration/greedy.h"
#include "policies/exploration/softmax.h"
#include "policies/exploration/thompson.h"
#include "policies/exploration/ucb1.h"

namespace marketsim {

void Explorer::choose(const ExplorationInput& input, int slots, RngStream& rng, Slate& slate) {
  slate.clear();
  do_choose(input, slots, rng, slate);
  const int n = static_cast<int>(input.scores.size());
  if (slate.shown != std::min(slots, n) || static_cast<int>(slate.order.size()) < slate.shown)
    throw std::logic_error("Explorer: wrong slate size");
  if (!(slate.propensity > 0.0 && slate.propensity <= 1.0))
    throw std::logic_error("Explorer: propensity outside (0, 1]");
  for (std::size_t i = 0; i < slate.order.size(); ++i) {
    if (slate.order[i] < 0 || slate.order[i] >= n) throw std::logic_error("Explorer: bad index");
    for (std::size_t j = 0; j < i; ++j)
      if (slate.order[j] == slate.order[i]) throw std::logic_error("Explorer: repeated index");
  }
}

bool Explorer::slot_probabilities(const ExplorationInput& input, int slots, RngStream& rng,
                                  std::vector<double>& p) const {
  if (slots < 0) throw std::invalid_argument("Explorer: slots must be >= 0");
  const std::size_t n = input.scores.size();
  const auto k = std::min(static_cast<std::size_t>(slots), n);
  p.assign(n * k, 0.0);
  const bool estimated = do_slot_probabilities(input, slots, rng, p);
  if (p.size() != n * k) throw std::logic_error("Explorer: slot probabilities of the wrong size");
  constexpr double kRounding = 1e-9;
  std::vector<double> column(k, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double row = 0.0;
    for (std::size_t s = 0; s < k; ++s) {
      const double x = p[i * k + s];
      if (!(x >= 0.0 && x <= 1.0))
        throw std::logic_error("Explorer: slot probability outside [0, 1]");
      row += x;
      column[s] += x;
    }
    if (row > 1.0 + kRounding)
      throw std::logic_error("Explorer: a candidate's slot probabilities sum to more than 1");
  }
  for (double sum : column)
    if (!(std::abs(sum - 1.0) <= kRounding))
      throw std::logic_error("Explorer: a slot's probabilities do not sum to 1");
  return estimated;
}

void greedy_order(std::span<const double> scores, int count, std::vector<int>& order) {
  const auto better = [&](int a, int b) {
    return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
  };
  const auto top =
      std::min<std::size_t>(static_cast<std::size_t>(std::max(count, 0)), scores.size());
  constexpr std::size_t kInsertionLimit = 8;
  if (top > kInsertionLimit) {
    order.resize(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                      better);
    order.resize(top);
    return;
  }
  order.resize(top);
  if (top == 0) return;
  if (top <= 2 && scores.size() >= 2) {
    // One slot (the greedy order of slots + 1): the best two in one scan without branches, which
    // on unordered scores the processor would mispredict at every change of the leaders.
    std::size_t first = better(1, 0) ? 1 : 0, second = 1 - first;
    double first_score = scores[first], second_score = scores[second];
    for (std::size_t i = 2; i < scores.size(); ++i) {
      const double s = scores[i];
      const bool over_first = s > first_score, over_second = s > second_score;
      second = over_first ? first : over_second ? i : second;
      second_score = over_first ? first_score : over_second ? s : second_score;
      first = over_first ? i : first;
      first_score = over_first ? s : first_score;
    }
    order[0] = static_cast<int>(first);
    if (top == 2) order[1] = static_cast<int>(second);
    return;
  }
  // A few slots: one pass keeping the best `top` in order, by insertion.
  int* best = order.data();
  std::size_t kept = 0;
  double worst = 0;  // the score of best[top - 1] once `top` are kept
  for (int i = 0; i < static_cast<int>(scores.size()); ++i) {
    std::size_t at = kept;
    if (kept == top) {
      // !better(i, best[top - 1]): a later index wins no tie, and a NaN is never better or worse.
      if (!(scores[i] > worst)) continue;
      at = top - 1;
    } else {
      ++kept;
    }
    for (; at > 0 && better(i, best[at - 1]); --at) best[at] = best[at - 1];
    best[at] = i;
    worst = scores[best[kept - 1]];
  }
}

const ExplorerRegistry& explorer_registry() {
  static const ExplorerRegistry registry = [] {
    ExplorerRegistry r("explorer");
    register_greedy(r);
    register_epsilon_greedy(r);
    register_softmax(r);
    register_ucb1(r);
    register_thompson(r);
    return r;
  }();
  return registry;
}

}  // namespace marketsim
