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

void Ucb1::do_choose(const ExplorationInput& input, int slots, RngStream&, Slate& slate) {
  if (input.model == nullptr || input.features == nullptr)
    throw std::invalid_argument("ucb1: needs the CTR model and request features in its input");
  const std::span<const double> scores = input.scores;
  const std::size_t n = scores.size();
  if (input.value_per_click.size() != n || input.pctr.size() != n || input.offers.size() != n)
    throw std::invalid_argument("ucb1: scores, values, pCTRs and offers differ in length");
  evidence_.resize(n);
  input.model->evidence(*input.features, input.offers, evidence_);
  const double total = std::accumulate(evidence_.begin(), evidence_.end(), 1.0);
  const double log_total = std::log(total);
  index_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    index_[i] = evidence_[i] > 0.0
                    ? input.value_per_click[i] *
                          (input.pctr[i] + c_ * std::sqrt(2.0 * log_total / evidence_[i]))
                    : std::numeric_limits<double>::infinity();
  }
  const auto better = [&](int a, int b) {
    if (index_[a] != index_[b]) return index_[a] > index_[b];
    return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
  };
  const int k = std::min<int>(slots, static_cast<int>(n));
  const auto drawn = std::min<std::size_t>(static_cast<std::size_t>(k) + 1, n);
  slate.order.resize(n);
  std::iota(slate.order.begin(), slate.order.end(), 0);
  std::partial_sort(slate.order.begin(), slate.order.begin() + static_cast<std::ptrdiff_t>(drawn),
                    slate.order.end(), better);
  slate.order.resize(drawn);
  slate.shown = k;
  slate.propensity = 1.0;
  greedy_order(scores, k, greedy_);
  slate.explored = !std::equal(greedy_.begin(), greedy_.end(), slate.order.begin());
}

void register_ucb1(ExplorerRegistry& registry) {
  registry.add({"ucb1",
                "UCB1: rank by value_per_click * (pCTR + c * sqrt(2 ln N / n)), n the model's "
                "impressions of the offer, N = 1 + their sum; unseen offers first; propensity 1",
                {ParamSpec::real("c", 1.0, 0, 1e9, "width of the confidence bonus")}},
               [](const ParamValues& p) { return std::make_unique<Ucb1>(p.get_real("c")); });
}

}  // namespace marketsim
