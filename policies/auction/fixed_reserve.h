// FixedReserve: one constant reserve price for every partner.
#pragma once

#include "policies/auction/reserve_policy.h"

namespace marketsim {

// The same reserve price per click on every partner, whatever the bids.
class FixedReserve final : public ReservePolicy {
 public:
  // `price` is in USD per click, finite and >= 0.
  explicit FixedReserve(double price) : price_(price) {}

 private:
  double do_reserve(std::uint32_t) const override { return price_; }
  void do_observe(std::uint32_t, double, double) override {}

  double price_;
};

// Adds "fixed" to the registry.
void register_fixed_reserve(ReservePolicyRegistry& registry);

}  // namespace marketsim
