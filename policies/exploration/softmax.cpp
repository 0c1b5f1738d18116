// Softmax: Plackett-Luce sampling of the slate with exact propensities.
#include "policies/exploration/softmax.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace marketsim {

Softmax::Softmax(double temperature, bool relative)
    : temperature_(temperature), relative_(relative) {
  if (!(temperature > 0.0)) throw std::invalid_argument("softmax: temperature must be positive");
}

void Softmax::do_choose(const ExplorationInput& input, int slots, RngStream& rng, Slate& slate) {
  const std::span<const double> scores = input.scores;
  const int n = static_cast<int>(scores.size());
  const int k = std::min(slots, n);
  const int drawn = std::min(k + 1, n);
  double scale = temperature_;
  if (relative_) {
    double largest = 0.0;
    for (double s : scores) largest = std::max(largest, std::abs(s));
    scale = temperature_ * largest;
  }
  logits_.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) logits_[i] = scale > 0.0 ? scores[i] / scale : 0.0;
  placed_.assign(static_cast<std::size_t>(n), 0);
  slate.shown = k;
  slate.propensity = 1.0;
  for (int s = 0; s < drawn; ++s) {
    double top = -std::numeric_limits<double>::infinity();
    for (int i = 0; i < n; ++i)
      if (!placed_[i]) top = std::max(top, logits_[i]);
    double total = 0.0;  // >= 1: the largest remaining logit contributes exp(0)
    for (int i = 0; i < n; ++i)
      if (!placed_[i]) total += std::exp(logits_[i] - top);
    const double target = rng.uniform() * total;
    double cumulative = 0.0;
    int pick = -1;
    for (int i = 0; i < n && (pick < 0 || cumulative <= target); ++i) {
      if (placed_[i]) continue;
      const double weight = std::exp(logits_[i] - top);
      if (weight > 0.0) pick = i;  // rounding can leave target just past the last weight
      cumulative += weight;
    }
    placed_[pick] = 1;
    slate.order.push_back(pick);
    if (s < k) slate.propensity *= std::exp(logits_[pick] - top) / total;
  }
  greedy_order(scores, k, greedy_);
  slate.explored = !std::equal(greedy_.begin(), greedy_.end(), slate.order.begin());
}

void register_softmax(ExplorerRegistry& registry) {
  registry.add(
      {"softmax",
       "Boltzmann exploration: slots filled by sampling without replacement with probabilities "
       "proportional to exp(score / T); exact propensities",
       {ParamSpec::real("temperature", 0.1, 1e-9, 1e9,
                        "T, in USD per impression, or a fraction of the request's top score when "
                        "relative"),
        ParamSpec::boolean("relative", true,
                           "temperature is relative to the largest score of the request")}},
      [](const ParamValues& p) {
        return std::make_unique<Softmax>(p.get_real("temperature"), p.get_bool("relative"));
      });
}

}  // namespace marketsim
