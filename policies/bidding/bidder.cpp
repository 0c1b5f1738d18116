#include "policies/bidding/bidder.h"

#include <cmath>
#include <stdexcept>

#include "policies/bidding/fixed_bidder.h"
#include "policies/bidding/roas_bidder.h"

namespace marketsim {

double Bidder::multiplier(std::uint32_t advertiser) const {
  const double m = do_multiplier(advertiser);
  if (!(m >= 0.0 && std::isfinite(m))) throw std::logic_error("Bidder: invalid bid multiplier");
  return m;
}

const BidderRegistry& bidder_registry() {
  static const BidderRegistry registry = [] {
    BidderRegistry r("bidder");
    register_fixed_bidder(r);
    register_roas_bidder(r);
    return r;
  }();
  return registry;
}

}  // namespace marketsim
