// ReservePolicy base class (its contract) and the registry of built-in reserve policies.
#include "policies/auction/reserve_policy.h"

#include <cmath>
#include <stdexcept>

#include "policies/auction/fixed_reserve.h"
#include "policies/auction/learned_reserve.h"
#include "policies/auction/partner_reserve.h"

namespace marketsim {

double ReservePolicy::reserve(std::uint32_t partner) const {
  const double r = do_reserve(partner);
  if (!(r >= 0.0 && std::isfinite(r))) throw std::logic_error("ReservePolicy: invalid reserve");
  return r;
}

void ReservePolicy::observe(std::uint32_t partner, double highest_bid, double second_bid) {
  if (!(second_bid >= 0.0 && second_bid <= highest_bid && std::isfinite(highest_bid)))
    throw std::invalid_argument("ReservePolicy: bids must satisfy 0 <= second <= highest < inf");
  do_observe(partner, highest_bid, second_bid);
}

const ReservePolicyRegistry& reserve_policy_registry() {
  static const ReservePolicyRegistry registry = [] {
    ReservePolicyRegistry r("reserve");
    register_partner_reserve(r);
    register_fixed_reserve(r);
    register_learned_reserve(r);
    return r;
  }();
  return registry;
}

}  // namespace marketsim
