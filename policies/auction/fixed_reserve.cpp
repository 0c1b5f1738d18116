// FixedReserve: registration.
#include "policies/auction/fixed_reserve.h"

namespace marketsim {

void register_fixed_reserve(ReservePolicyRegistry& registry) {
  registry.add({"fixed",
                "the same reserve price per click on every partner",
                {ParamSpec::real("price", 0.05, 0, 1e6, "reserve price per click", "USD")}},
               [](const ParamValues& p, const ReserveContext&) {
                 return std::make_unique<FixedReserve>(p.get_real("price"));
               });
}

}  // namespace marketsim
