// EpsilonGreedy: the greedy slate or, with probability epsilon_t, a uniformly random one.
#include "policies/exploration/epsilon_greedy.h"

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace marketsim {

namespace {

EpsilonDecay decay_from_name(const std::string& name) {
  if (name == "inverse_time") return EpsilonDecay::kInverseTime;
  if (name == "exponential") return EpsilonDecay::kExponential;
  if (name == "constant") return EpsilonDecay::kConstant;
  throw std::invalid_argument("epsilon_greedy: unknown decay \"" + name + "\"");
}

}  // namespace

EpsilonGreedy::EpsilonGreedy(double epsilon, EpsilonDecay decay, double decay_requests)
    : epsilon_(epsilon), decay_(decay), tau_(decay_requests) {
  if (!(epsilon >= 0.0 && epsilon <= 1.0))
    throw std::invalid_argument("epsilon_greedy: epsilon must be in [0, 1]");
  if (!(decay_requests > 0.0))
    throw std::invalid_argument("epsilon_greedy: decay_requests must be positive");
}

double EpsilonGreedy::epsilon_at(double t) const {
  switch (decay_) {
    case EpsilonDecay::kInverseTime:
      return epsilon_ / (1.0 + t / tau_);
    case EpsilonDecay::kExponential:
      return epsilon_ * std::exp(-t / tau_);
    case EpsilonDecay::kConstant:
      break;
  }
  return epsilon_;
}

void EpsilonGreedy::do_choose(const ExplorationInput& input, int slots, RngStream& rng,
                              Slate& slate) {
  const double epsilon = epsilon_at(static_cast<double>(served_++));
  const std::span<const double> scores = input.scores;
  const int n = static_cast<int>(scores.size());
  const int k = std::min(slots, n);
  slate.shown = k;
  const bool explore = rng.uniform() < epsilon;
  double uniform_slate = 1.0;  // (n - k)! / n!
  for (int i = 0; i < k; ++i) uniform_slate /= static_cast<double>(n - i);
  if (!explore) {
    greedy_order(scores, slots + 1, slate.order);
    slate.propensity = (1.0 - epsilon) + epsilon * uniform_slate;
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
  slate.propensity = (is_greedy ? 1.0 - epsilon : 0.0) + epsilon * uniform_slate;
  slate.explored = true;
}

bool EpsilonGreedy::do_slot_probabilities(const ExplorationInput& input, int slots, RngStream&,
                                          std::vector<double>& p) const {
  const double epsilon = epsilon_at(static_cast<double>(served_));
  const int n = static_cast<int>(input.scores.size());
  const int k = std::min(slots, n);
  if (k == 0) return false;
  std::fill(p.begin(), p.end(), epsilon / n);
  std::vector<int> greedy;  // local: this is const, and choose() owns greedy_
  greedy_order(input.scores, k, greedy);
  // (1 - epsilon) + epsilon / n, written so that rounding cannot take it above 1.
  for (int s = 0; s < k; ++s)
    p[static_cast<std::size_t>(greedy[s]) * k + s] = 1.0 - epsilon * (n - 1) / n;
  return false;
}

void register_epsilon_greedy(ExplorerRegistry& registry) {
  registry.add(
      {"epsilon_greedy",
       "greedy, except a uniformly random slate with probability epsilon_t (optionally decaying "
       "with the requests served)",
       {ParamSpec::real("epsilon", 0.05, 0, 1, "probability of a random slate (at t = 0)"),
        ParamSpec::choice("decay", "constant", {"constant", "inverse_time", "exponential"},
                          "schedule of epsilon_t over the requests served t: epsilon, "
                          "epsilon / (1 + t / tau) or epsilon * exp(-t / tau)"),
        ParamSpec::real("decay_requests", 1e5, 1, 1e15,
                        "tau, the decay scale of inverse_time and exponential", "requests")}},
      [](const ParamValues& p) {
        return std::make_unique<EpsilonGreedy>(p.get_real("epsilon"),
                                               decay_from_name(p.get_string("decay")),
                                               p.get_real("decay_requests"));
      });
}

}  // namespace marketsim
