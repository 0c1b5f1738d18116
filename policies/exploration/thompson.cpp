// Thompson: posterior-draw ranking with a Monte Carlo propensity of the shown slate.
#include "policies/exploration/thompson.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace marketsim {

Thompson::Thompson(int propensity_draws) : propensity_draws_(propensity_draws) {
  if (propensity_draws < 1) throw std::invalid_argument("thompson: propensity_draws must be >= 1");
}

void Thompson::draw_values(const ExplorationInput& input, RngStream& rng) {
  input.model->sample(*input.features, input.offers, rng, draw_);
  for (std::size_t i = 0; i < draw_.size(); ++i) value_[i] = input.value_per_click[i] * draw_[i];
}

bool Thompson::ranks_first(const std::vector<int>& order, int k) const {
  for (int j = 0; j + 1 < k; ++j)
    if (!better(order[j], order[j + 1])) return false;
  const int last = order[k - 1];
  for (int i = 0; i < static_cast<int>(value_.size()); ++i)
    if (!in_slate_[i] && !better(last, i)) return false;
  return true;
}

void Thompson::do_choose(const ExplorationInput& input, int slots, RngStream& rng, Slate& slate) {
  if (input.model == nullptr || input.features == nullptr || !input.model->has_posterior())
    throw std::invalid_argument(
        "thompson: needs a CTR model with a posterior to sample (e.g. ranker \"beta\" or "
        "\"logistic_laplace\")");
  const std::size_t n = input.scores.size();
  if (input.value_per_click.size() != n || input.offers.size() != n)
    throw std::invalid_argument("thompson: scores, values and offers differ in length");
  draw_.resize(n);
  value_.resize(n);
  draw_values(input, rng);
  const int k = std::min<int>(slots, static_cast<int>(n));
  const auto drawn = std::min<std::size_t>(static_cast<std::size_t>(k) + 1, n);
  slate.order.resize(n);
  std::iota(slate.order.begin(), slate.order.end(), 0);
  std::partial_sort(slate.order.begin(), slate.order.begin() + static_cast<std::ptrdiff_t>(drawn),
                    slate.order.end(), [this](int a, int b) { return better(a, b); });
  slate.order.resize(drawn);
  slate.shown = k;
  greedy_order(input.scores, k, greedy_);
  slate.explored = !std::equal(greedy_.begin(), greedy_.end(), slate.order.begin());
  if (n <= 1 || k == 0) return;  // one candidate or no slot: propensity exactly 1
  in_slate_.assign(n, 0);
  for (int j = 0; j < k; ++j) in_slate_[slate.order[j]] = 1;
  int same = 0;
  for (int m = 0; m < propensity_draws_; ++m) {
    draw_values(input, rng);
    same += ranks_first(slate.order, k) ? 1 : 0;
  }
  slate.propensity = (same + 1.0) / (propensity_draws_ + 1.0);
  slate.propensity_estimated = true;
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
