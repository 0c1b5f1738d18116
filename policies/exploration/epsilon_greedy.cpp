#include "policies/exploration/epsilon_greedy.h"

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <numeric>

namespace marketsim {

void EpsilonGreedy::do_choose(const ExplorationInput& input, int slots, RngStream& rng,
                              Slate& slate) {
  const std::span<const double> scores = input.scores;
  const int n = static_cast<int>(scores.size());
  const int k = std::min(slots, n);
  slate.shown = k;
  const bool explore = rng.uniform() < epsilon_;
  double uniform_slate = 1.0;  // (n - k)! / n!
  for (int i = 0; i < k; ++i) uniform_slate /= static_cast<double>(n - i);
  if (!explore) {
    greedy_order(scores, slots + 1, slate.order);
    slate.propensity = (1.0 - epsilon_) + epsilon_ * uniform_slate;
    return;
  }
  // Partial Fisher-Yates: the first k + 1 positions become a uniformly random ordered sample.
  slate.order.resize(static_cast<std::size_t>(n));
  std::iota(slate.order.begin(), slate.order.end(), 0);
  const int drawn = std::min(k + 1, n);
  for (int i = 0; i < drawn; ++i) {
    boost::random::uniform_int_distribution<int> pick(i, n - 1);
    std::swap(slate.order[i], slate.order[pick(rng)]);
  }
  slate.order.resize(static_cast<std::size_t>(drawn));
  greedy_order(scores, k, greedy_);
  const bool is_greedy = std::equal(greedy_.begin(), greedy_.end(), slate.order.begin());
  slate.propensity = (is_greedy ? 1.0 - epsilon_ : 0.0) + epsilon_ * uniform_slate;
  slate.explored = true;
}

void register_epsilon_greedy(ExplorerRegistry& registry) {
  registry.add(
      {"epsilon_greedy",
       "greedy, except a uniformly random slate with probability epsilon",
       {ParamSpec::real("epsilon", 0.05, 0, 1, "probability of a random slate")}},
      [](const ParamValues& p) { return std::make_unique<EpsilonGreedy>(p.get_real("epsilon")); });
}

}  // namespace marketsim
