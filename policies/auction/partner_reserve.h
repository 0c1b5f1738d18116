// PartnerReserve: each partner's own fixed reserve price.
#pragma once

#include <vector>

#include "policies/auction/reserve_policy.h"

namespace marketsim {

// The reserve price each partner set (partners.reserve_price and partners.reserve_dispersion),
// fixed for the whole run, whatever the bids.
class PartnerReserve final : public ReservePolicy {
 public:
  explicit PartnerReserve(std::vector<double> reserves) : reserves_(std::move(reserves)) {}

 private:
  double do_reserve(std::uint32_t partner) const override { return reserves_.at(partner); }
  void do_observe(std::uint32_t, double, double) override {}

  std::vector<double> reserves_;
};

// Adds "partner" to the registry.
void register_partner_reserve(ReservePolicyRegistry& registry);

}  // namespace marketsim
