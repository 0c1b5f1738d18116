// ThrottlePacer: probabilistic throttling, each advertiser sits out a share of the requests.
#pragma once

#include <cstddef>
#include <vector>

#include "policies/pacing/pacer.h"
#include "policies/pacing/pacing_clock.h"

namespace marketsim {

// The parameters of "throttle", validated against each other by the factory.
struct ThrottleParams {
  double min_probability = 0.01;     // floor of p_a, keeps the demand estimate alive
  double initial_probability = 1.0;  // p_a at the start of each day
  double gain = 0.3;                 // weight of the latest interval in the demand estimate
  double catch_up_hours = 2.0;       // horizon over which a gap to the target curve is closed
};

// Advertiser a takes part in a request with probability p_a, at full bid (multiplier 1 when in,
// 0 when out). At each update, from its spend S, budget B and the elapsed fraction f of the day:
//   demand   D_a <- (1 - gain) D_a + gain * s / (p_a * dt)   spend rate at p = 1 (USD/h), where s
//                   is the spend over the dt hours since the previous update (first: D_a = that)
//   desired  r_a  = B / day_hours + (B f - S) / min(catch_up_hours, hours left), at least 0,
//                   and 0 once S >= B: the even rate plus a correction toward the curve B f
//   p_a           = clamp(r_a / D_a, min_probability, 1)   (while D_a = 0: 1 if r_a > 0)
// At each day start p_a = initial_probability and the demand estimate is forgotten (a low
// initial_probability avoids overspending in the first interval when demand far exceeds B). Budgets
// that are not finite and positive are not paced (p = 1 for infinite, 0 for none). Each call to
// participation() draws exactly one uniform from the request's stream, whatever p_a is.
class ThrottlePacer final : public Pacer {
 public:
  ThrottlePacer(const ThrottleParams& params, std::size_t advertisers);

  // The current participation probability of `advertiser`.
  double probability(std::size_t advertiser) const { return probability_.at(advertiser); }

 private:
  void do_update(const PacingView& view) override;
  double do_participation(std::uint32_t advertiser, RngStream& rng) override;

  // The new p_a after an update within the day.
  double replan(std::size_t a, double budget, double spent);

  ThrottleParams params_;
  PacingClock clock_;
  std::vector<double> probability_;
  std::vector<double> demand_;      // USD/h at full participation; negative: not yet estimated
  std::vector<double> last_spent_;  // spend at the previous update
};

// Adds "throttle" to the registry.
void register_throttle(PacerRegistry& registry);

}  // namespace marketsim
