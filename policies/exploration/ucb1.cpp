// Ucb1: deterministic upper-confidence-bound ranking over the model's evidence.
#include "policies/exploration/ucb1.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace marketsim {

Ucb1::Ucb1(double c) : c_(c) {
  if (!(c >= 0.0)) throw std::invalid_argument("ucb1: c must be non-negative");
}

void Ucb1::index_order(const ExplorationInput& input, std::size_t count,
                       std::vector<double>& evidence, std::vector<double>& index,
                       std::vector<int>& order) const {
  if (input.model == nullptr || input.features == nullptr)
    throw std::invalid_argument("ucb1: needs the CTR model and request features in its input");
  const std::span<const double> scores = input.scores;
  const std::size_t n = scores.size();
  if (input.value_per_click.size() != n || input.pctr.size() != n || input.offers.size() != n)
    throw std::invalid_argument("ucb1: scores, values, pCTRs and offers differ in length");
  evidence.resize(n);
  input.model->evidence(*input.features, input.offers, evidence);
  const double total = std::accumulate(evidence.begin(), evidence.end(), 1.0);
  const double log_total = std::log(total);
  index.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    index[i] = evidence[i] > 0.0
                   ? input.value_per_click[i] *
                         (input.pctr[i] + c_ * std::sqrt(2.0 * log_total / evidence[i]))
                   : std::numeric_limits<double>::infinity();
  }
  const auto better = [&](int a, int b) {
    if (index[a] != index[b]) return index[a] > index[b];
    return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
  };
  const std::size_t top = std::min(count, n);
  order.resize(n);
  std::iota(order.begin(), order.end(), 0);
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                    better);
  order.resize(top);
}

void Ucb1::do_choose(const ExplorationInput& input, int slots, RngStream&, Slate& slate) {
  const int k = std::min<int>(slots, static_cast<int>(input.scores.size()));
  index_order(input, static_cast<std::size_t>(k) + 1, evidence_, index_, slate.order);
  slate.shown = k;
  slate.propensity = 1.0;
  greedy_order(input.scores, k, greedy_);
  slate.explored = !std::equal(greedy_.begin(), greedy_.end(), slate.order.begin());
}

bool Ucb1::do_slot_probabilities(const ExplorationInput& input, int slots, RngStream&,
                                 std::vector<double>& p) const {
  const int k = std::min<int>(slots, static_cast<int>(input.scores.size()));
  std::vector<double> evidence, index;  // local: this is const, and choose() owns the members
  std::vector<int> order;
  index_order(input, static_cast<std::size_t>(k), evidence, index, order);
  for (int s = 0; s < k; ++s) p[static_cast<std::size_t>(order[s]) * k + s] = 1.0;
  return false;
}

void register_ucb1(ExplorerRegistry& registry) {
  registry.add({"ucb1",
                "UCB1: rank by value_per_click * (pCTR + c * sqrt(2 ln N / n)), n the model's "
                "impressions of the offer, N = 1 + their sum; unseen offers first; propensity 1",
                {ParamSpec::real("c", 1.0, 0, 1e9, "width of the confidence bonus")}},
               [](const ParamValues& p) { return std::make_unique<Ucb1>(p.get_real("c")); });
}

}  // namespace marketsim
