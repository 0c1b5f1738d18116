// LearnedReserve: the log-space quantile tracker and its registration.
#include "policies/auction/learned_reserve.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace marketsim {

LearnedReserve::LearnedReserve(std::size_t partners, double quantile, double learning_rate,
                               double initial)
    : reserve_(partners, std::max(initial, kMinReserve)),
      up_(std::exp(learning_rate * quantile)),
      down_(std::exp(-learning_rate * (1.0 - quantile))) {
  if (!(quantile > 0.0 && quantile < 1.0 && learning_rate > 0.0 && std::isfinite(up_) &&
        initial > 0.0 && std::isfinite(initial)))
    throw std::invalid_argument(
        "learned reserve: need 0 < quantile < 1, learning_rate > 0 and "
        "a finite initial > 0");
}

void LearnedReserve::do_observe(std::uint32_t partner, double highest_bid, double) {
  double& r = reserve_[index(partner)];
  r = highest_bid < r ? std::max(r * down_, kMinReserve) : r * up_;
}

std::size_t LearnedReserve::index(std::uint32_t partner) const {
  if (partner >= reserve_.size())
    throw std::out_of_range("learned reserve: partner " + std::to_string(partner) +
                            " out of range (" + std::to_string(reserve_.size()) + " partners)");
  return partner;
}

void register_learned_reserve(ReservePolicyRegistry& registry) {
  registry.add(
      {"learned",
       "per partner, tracks a quantile of the highest bid online (log-space stochastic "
       "approximation)",
       {ParamSpec::real("quantile", 0.3, 0.01, 0.99, "target quantile of the highest eligible bid"),
        ParamSpec::real("learning_rate", 0.02, 1e-6, 1,
                        "relative step of the log-reserve per request"),
        ParamSpec::real("initial", 0.05, 1e-6, 1e6, "reserve before any bids are seen", "USD")}},
      [](const ParamValues& p, const ReserveContext& context) {
        return std::make_unique<LearnedReserve>(context.partners(), p.get_real("quantile"),
                                                p.get_real("learning_rate"), p.get_real("initial"));
      });
}

}  // namespace marketsim
