// Softmax: Plackett-Luce sampling of the slate with exact propensities and slot probabilities.
#include "policies/exploration/softmax.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace marketsim {

namespace {

// Writes exp(logit - top) to `weights` for the candidates not yet `placed` (0 for those placed),
// top the largest logit among them, and returns their sum (>= 1: the top one contributes exp(0)).
double remaining_weights(std::span<const double> logits, const std::vector<char>& placed,
                         std::vector<double>& weights) {
  double top = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < logits.size(); ++i)
    if (!placed[i]) top = std::max(top, logits[i]);
  double total = 0.0;
  for (std::size_t i = 0; i < logits.size(); ++i) {
    weights[i] = placed[i] ? 0.0 : std::exp(logits[i] - top);
    total += weights[i];
  }
  return total;
}

// The inverse-CDF draw of one slot: the first candidate whose cumulative weight (in index order)
// passes `target` in [0, total). Rounding can leave target just past the last weight; the last
// candidate with a positive weight is taken then.
int pick_by_weight(const std::vector<double>& weights, double target) {
  double cumulative = 0.0;
  int pick = -1;
  for (int i = 0; i < static_cast<int>(weights.size()) && (pick < 0 || cumulative <= target); ++i) {
    if (weights[i] > 0.0) pick = i;
    cumulative += weights[i];
  }
  return pick;
}

// The number of ordered prefixes of the last of k slots, n (n - 1) ... (n - k + 2), counted up to
// the first product above `limit`.
double prefix_count(int n, int k, double limit) {
  double count = 1.0;
  for (int j = 0; j + 1 < k && count <= limit; ++j) count *= n - j;
  return count;
}

// Exact Plackett-Luce slot probabilities by depth-first enumeration of the ordered prefixes: a
// prefix of probability q whose remaining weights are w (sum W) puts candidate i next with
// probability q w_i / W. Prefixes whose probability underflows to 0 are not extended.
class PrefixEnumeration {
 public:
  // Will add to `p` (n x k row-major) the probabilities of `logits` for k >= 1 slots.
  PrefixEnumeration(std::span<const double> logits, int k, std::vector<double>& p)
      : logits_(logits),
        k_(static_cast<std::size_t>(k)),
        p_(p),
        placed_(logits.size(), 0),
        weights_(k_, std::vector<double>(logits.size())) {}

  // Adds the probabilities of the slots from `slot` on, below a prefix (the candidates placed)
  // of probability `probability`; visit(0, 1.0) does them all.
  void visit(std::size_t slot, double probability) {
    std::vector<double>& w = weights_[slot];
    const double total = remaining_weights(logits_, placed_, w);
    for (std::size_t i = 0; i < w.size(); ++i) {
      const double next = probability * w[i] / total;
      if (next == 0.0) continue;  // placed already, or too unlikely to represent
      p_[i * k_ + slot] += next;
      if (slot + 1 == k_) continue;
      placed_[i] = 1;
      visit(slot + 1, next);
      placed_[i] = 0;
    }
  }

 private:
  std::span<const double> logits_;
  std::size_t k_;
  std::vector<double>& p_;
  std::vector<char> placed_;
  std::vector<std::vector<double>> weights_;  // one per depth
};

// Estimates the slot probabilities from `draws` Plackett-Luce slates drawn by the Gumbel-top-k
// trick (the k largest of logit_i + G_i, G_i iid standard Gumbel, are a Plackett-Luce ordered
// sample: Yellott 1977; Kool et al. 2019), as (C + 1/n) / (draws + 1).
void sample_slot_probabilities(std::span<const double> logits, int k, int draws, RngStream& rng,
                               std::vector<double>& p) {
  const std::size_t n = logits.size();
  std::vector<double> key(n);
  std::vector<int> order(n);
  for (int m = 0; m < draws; ++m) {
    for (std::size_t i = 0; i < n; ++i) key[i] = logits[i] - std::log(-std::log(rng.uniform()));
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [&](int a, int b) { return key[a] != key[b] ? key[a] > key[b] : a < b; });
    for (int s = 0; s < k; ++s) p[static_cast<std::size_t>(order[s]) * k + s] += 1.0;
  }
  for (double& x : p) x = (x + 1.0 / n) / (draws + 1.0);
}

}  // namespace

Softmax::Softmax(double temperature, bool relative)
    : temperature_(temperature), relative_(relative) {
  if (!(temperature > 0.0)) throw std::invalid_argument("softmax: temperature must be positive");
}

void Softmax::compute_logits(std::span<const double> scores, std::vector<double>& logits) const {
  double scale = temperature_;
  if (relative_) {
    double largest = 0.0;
    for (double s : scores) largest = std::max(largest, std::abs(s));
    scale = temperature_ * largest;
  }
  logits.resize(scores.size());
  for (std::size_t i = 0; i < scores.size(); ++i) logits[i] = scale > 0.0 ? scores[i] / scale : 0.0;
}

void Softmax::do_choose(const ExplorationInput& input, int slots, RngStream& rng, Slate& slate) {
  const std::span<const double> scores = input.scores;
  const int n = static_cast<int>(scores.size());
  const int k = std::min(slots, n);
  const int drawn = std::min(k + 1, n);
  compute_logits(scores, logits_);
  placed_.assign(static_cast<std::size_t>(n), 0);
  weights_.resize(static_cast<std::size_t>(n));
  slate.shown = k;
  slate.propensity = 1.0;
  for (int s = 0; s < drawn; ++s) {
    const double total = remaining_weights(logits_, placed_, weights_);
    const int pick = pick_by_weight(weights_, rng.uniform() * total);
    placed_[pick] = 1;
    slate.order.push_back(pick);
    if (s < k) slate.propensity *= weights_[pick] / total;
  }
  greedy_order(scores, k, greedy_);
  slate.explored = !std::equal(greedy_.begin(), greedy_.end(), slate.order.begin());
}

bool Softmax::do_slot_probabilities(const ExplorationInput& input, int slots, RngStream& rng,
                                    std::vector<double>& p) const {
  const int n = static_cast<int>(input.scores.size());
  const int k = std::min(slots, n);
  if (k == 0) return false;
  std::vector<double> logits;  // local: this is const, and choose() owns logits_
  compute_logits(input.scores, logits);
  if (prefix_count(n, k, kMaxEnumeratedPrefixes) > kMaxEnumeratedPrefixes) {
    sample_slot_probabilities(logits, k, kMarginalDraws, rng, p);
    return true;
  }
  PrefixEnumeration(logits, k, p).visit(0, 1.0);
  // Each slot's probabilities sum to 1 analytically; dividing by the computed sum removes the
  // rounding of the many prefix terms (and keeps every entry <= 1).
  for (int s = 0; s < k; ++s) {
    double sum = 0.0;
    for (int i = 0; i < n; ++i) sum += p[static_cast<std::size_t>(i) * k + s];
    for (int i = 0; i < n; ++i) p[static_cast<std::size_t>(i) * k + s] /= sum;
  }
  return false;
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
