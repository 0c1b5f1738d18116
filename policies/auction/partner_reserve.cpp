#include "policies/auction/partner_reserve.h"

namespace marketsim {

void register_partner_reserve(ReservePolicyRegistry& registry) {
  registry.add({"partner", "each partner's own fixed reserve price (section [partners])", {}},
               [](const ParamValues&, const ReserveContext& context) {
                 return std::make_unique<PartnerReserve>(context.partner_reserves);
               });
}

}  // namespace marketsim
