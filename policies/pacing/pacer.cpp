#include "policies/pacing/pacer.h"

#include <cmath>
#include <stdexcept>

#include "policies/pacing/no_pacing.h"
#include "policies/pacing/pid_pacer.h"
#include "policies/pacing/throttle.h"

namespace marketsim {

double Pacer::participation(std::uint32_t advertiser, RngStream& rng) {
  const double m = do_participation(advertiser, rng);
  if (!(m >= 0.0 && std::isfinite(m))) throw std::logic_error("Pacer: invalid bid multiplier");
  return m;
}

const PacerRegistry& pacer_registry() {
  static const PacerRegistry registry = [] {
    PacerRegistry r("pacer");
    register_no_pacing(r);
    register_throttle(r);
    register_pid_pacer(r);
    return r;
  }();
  return registry;
}

}  // namespace marketsim
