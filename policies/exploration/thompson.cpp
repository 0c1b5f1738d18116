// Thompson: posterior-draw ranking with Monte Carlo propensities and slot probabilities.
#include "policies/exploration/thompson.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace marketsim {

namespace {

// Ranking by the drawn values: a before b when a's value is larger, ties to the lower index.
bool better(const std::vector<double>& value, int a, int b) {
  return value[a] != value[b] ? value[a] > value[b] : a < b;
}

// Throws std::invalid_argument unless `input` has a model with a posterior, request features, and
// values and offers as many as its scores.
void check_input(const ExplorationInput& input) {
  if (input.model == nullptr || input.features == nullptr || !input.model->has_posterior())
    throw std::invalid_argument(
        "thompson: needs a CTR model with a posterior to sample (e.g. ranker \"beta\" or "
        "\"logistic_laplace\")");
  const std::size_t n = input.scores.size();
  if (input.value_per_click.size() != n || input.offers.size() != n)
    throw std::invalid_argument("thompson: scores, values and offers differ in length");
}

}  // namespace

Thompson::Thompson(int propensity_draws) : propensity_draws_(propensity_draws) {
  if (propensity_draws < 1) throw std::invalid_argument("thompson: propensity_draws must be >= 1");
}

void Thompson::draw_values(const ExplorationInput& input, RngStream& rng, std::vector<double>& draw,
                           std::vector<double>& value) {
  input.model->sample(*input.features, input.offers, rng, draw);
  for (std::size_t i = 0; i < draw.size(); ++i) value[i] = input.value_per_click[i] * draw[i];
}

void Thompson::rank(const std::vector<double>& value, std::size_t count, std::vector<int>& order) {
  const std::size_t top = std::min(count, value.size());
  order.resize(value.size());
  std::iota(order.begin(), order.end(), 0);
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                    [&value](int a, int b) { return better(value, a, b); });
  order.resize(top);
}

bool Thompson::ranks_first(const std::vector<int>& order, int k) const {
  for (int j = 0; j + 1 < k; ++j)
    if (!better(value_, order[j], order[j + 1])) return false;
  const int last = order[k - 1];
  for (int i = 0; i < static_cast<int>(value_.size()); ++i)
    if (!in_slate_[i] && !better(value_, last, i)) return false;
  return true;
}

void Thompson::do_choose(const ExplorationInput& input, int slots, RngStream& rng, Slate& slate) {
  check_input(input);
  const std::size_t n = input.scores.size();
  draw_.resize(n);
  value_.resize(n);
  draw_values(input, rng, draw_, value_);
  const int k = std::min<int>(slots, static_cast<int>(n));
  rank(value_, static_cast<std::size_t>(k) + 1, slate.order);
  slate.shown = k;
  greedy_order(input.scores, k, greedy_);
  slate.explored = !std::equal(greedy_.begin(), greedy_.end(), slate.order.begin());
  if (n <= 1 || k == 0) return;  // one candidate or no slot: propensity exactly 1
  if (!input.needs_propensity) return;
  in_slate_.assign(n, 0);
  for (int j = 0; j < k; ++j) in_slate_[slate.order[j]] = 1;
  int same = 0;
  for (int m = 0; m < propensity_draws_; ++m) {
    draw_values(input, rng, draw_, value_);
    same += ranks_first(slate.order, k) ? 1 : 0;
  }
  slate.propensity = (same + 1.0) / (propensity_draws_ + 1.0);
  slate.propensity_estimated = true;
}

bool Thompson::do_slot_probabilities(const ExplorationInput& input, int slots, RngStream& rng,
                                     std::vector<double>& p) const {
  check_input(input);
  const std::size_t n = input.scores.size();
  const auto k = std::min(static_cast<std::size_t>(slots), n);
  if (n <= 1 || k == 0) {
    std::fill(p.begin(), p.end(), 1.0);  // one candidate in one slot, or nothing to fill
    return false;
  }
  std::vector<double> draw(n), value(n);  // local: this is const, and choose() owns the members
  std::vector<int> order;
  for (int m = 0; m < propensity_draws_; ++m) {
    draw_values(input, rng, draw, value);
    rank(value, k, order);
    for (std::size_t s = 0; s < k; ++s) p[static_cast<std::size_t>(order[s]) * k + s] += 1.0;
  }
  for (double& x : p) x = (x + 1.0 / n) / (propensity_draws_ + 1.0);
  return true;
}

void register_thompson(ExplorerRegistry& registry) {
  registry.add(
      {"thompson",
       "Thompson sampling: rank by value per click times a joint posterior draw of the CTRs "
       "(per offer with ranker beta, per context with logistic_laplace); propensity estimated",
       {ParamSpec::integer("propensity_draws", 100, 1, 1e6,
                           "M, extra posterior draws estimating the shown slate's propensity as "
                           "(matches + 1) / (M + 1)")}},
      [](const ParamValues& p) {
        return std::make_unique<Thompson>(static_cast<int>(p.get_int("propensity_draws")));
      });
}

}  // namespace marketsim
