// PidPacer: a feedback controller on each advertiser's bid multiplier, targeting even daily spend.
#pragma once

#include <cstddef>
#include <vector>

#include "policies/pacing/pacer.h"
#include "policies/pacing/pacing_clock.h"

namespace marketsim {

// The parameters of "pid", validated against each other by the factory.
struct PidParams {
  double kp = 30;                 // proportional gain (dimensionless)
  double ki = 10;                 // integral gain (1/h)
  double kd = 0;                  // derivative gain (h)
  double min_multiplier = 0.01;   // m_min > 0
  double max_multiplier = 1;      // m_max >= m_min
  double initial_multiplier = 1;  // m_0 in [m_min, m_max], used at each day start
};

// Every advertiser bids in every request, its bids scaled by m_a. At each update within the day,
// from its budget B, spend so far S and the elapsed fraction f of the day:
//   e_k = (B f - S) / B                       error: share of the budget behind the even curve
//   I_k = I_{k-1} + e_k dt                    dt: hours since the previous update
//   u_k = ln m_0 + kp e_k + ki I_k + kd (e_k - e_{k-1}) / dt
//   m_a = exp(clamp(u_k, ln m_min, ln m_max))
// The controller acts on ln m because spend responds to a relative change of the bids about
// equally whatever the level of m (spend ~ m^elasticity), so one set of gains suits advertisers
// whose demand exceeds their budget by very different factors. Linearized about even spend with
// elasticity 1 and a 24 h day, the loop is e'' + (kp / 24) e' + (ki / 24) e = 0 (time in h):
// natural frequency w = sqrt(ki / 24) and damping kp / (48 w). The defaults give w = 0.65 / h and
// damping 0.97, so a gap decays within a few hours. A greater elasticity speeds the loop up.
// Anti-windup by conditional integration: I is frozen while u is saturated and e pushes further
// out. At each day start I = 0, e = 0 and m_a = m_0: when demand far exceeds the budget, the
// first interval at m_0 overspends, which a lower initial_multiplier avoids. Budgets that are not
// finite and positive are not paced (m = 1 for infinite, 0 for none).
class PidPacer final : public Pacer {
 public:
  PidPacer(const PidParams& params, std::size_t advertisers);

  // The current bid multiplier of `advertiser`.
  double multiplier(std::size_t advertiser) const { return multiplier_.at(advertiser); }

 private:
  void do_update(const PacingView& view) override;
  double do_participation(std::uint32_t advertiser, RngStream& rng) override;

  // One controller step for advertiser a with error e; returns the new multiplier.
  double step(std::size_t a, double error);

  PidParams params_;
  PacingClock clock_;
  std::vector<double> multiplier_;
  std::vector<double> integral_;    // sum of e dt (h)
  std::vector<double> last_error_;  // e at the previous update
};

// Adds "pid" to the registry.
void register_pid_pacer(PacerRegistry& registry);

}  // namespace marketsim
