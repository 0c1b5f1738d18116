// Vcg: externality pricing with position CTRs, and its registration.
#include "policies/auction/vcg.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "policies/auction/internal/pricing.h"

namespace marketsim {

using auction_internal::floor_and_cap;
using auction_internal::matching_bid;
using auction_internal::score;
using auction_internal::weight;

Vcg::Vcg(std::vector<double> position_ctr, bool quality_weighted)
    : theta_(std::move(position_ctr)), quality_weighted_(quality_weighted) {
  if (!std::is_sorted(theta_.rbegin(), theta_.rend()) ||
      (!theta_.empty() && !(theta_.back() >= 0.0)))
    throw std::invalid_argument("vcg: position_ctr must be non-increasing and non-negative");
}

void Vcg::do_clear(const AuctionInput& input, AuctionResult& result) {
  const Slate& slate = *input.slate;
  const int shown = slate.shown;
  if (static_cast<std::size_t>(shown) > theta_.size())
    throw std::invalid_argument("vcg: position_ctr has " + std::to_string(theta_.size()) +
                                " entries but the slate shows " + std::to_string(shown) +
                                " slots; give one per slot");
  // Entries below the runner-up (index shown) move between two zero-CTR positions: no externality.
  const int last = std::min(static_cast<int>(slate.order.size()) - 1, shown);
  const auto theta = [&](int j) { return j < shown ? theta_[j] : 0.0; };
  for (int s = 0; s < shown; ++s) {
    const int self = slate.order[s];
    double externality = 0;  // expected USD per impression the others lose
    for (int j = s + 1; j <= last; ++j)
      externality += (theta(j - 1) - theta(j)) * score(input, slate.order[j], quality_weighted_);
    const double raw =
        matching_bid(externality, theta(s) * weight(input, self, quality_weighted_), input.reserve);
    result.price_per_click[s] = floor_and_cap(raw, input.reserve, input.bids[self]);
  }
}

void register_vcg(AuctionRegistry& registry) {
  registry.add(
      {"vcg",
       "VCG: each winner pays its externality on the others per click, with position CTRs",
       {ParamSpec::real_list("position_ctr", {1.0, 0.7, 0.5, 0.4, 0.33, 0.28, 0.24, 0.2}, 0, 0, 1,
                             "relative CTR of each slot, top first, non-increasing; at least one "
                             "per shown slot"),
        auction_internal::quality_weighted_param()}},
      [](const ParamValues& p) {
        const std::vector<double>& theta = p.get_real_list("position_ctr");
        if (!std::is_sorted(theta.rbegin(), theta.rend()))
          p.fail("position_ctr", "must be non-increasing (top slot first)");
        return std::make_unique<Vcg>(theta, p.get_bool("quality_weighted"));
      });
}

}  // namespace marketsim
