// LearnedReserve: per partner, a reserve that tracks a quantile of the highest bid online.
#pragma once

#include <cstddef>
#include <vector>

#include "policies/auction/reserve_policy.h"

namespace marketsim {

// Per partner, learns the `quantile` q of the highest eligible CPC bid by stochastic
// approximation (Robbins-Monro) in log space: after each request with highest bid h,
//   log r <- log r + learning_rate x (q - 1{h < r}),
// i.e. r is multiplied by exp(lr q) when h >= r and by exp(-lr (1 - q)) when h < r. Its fixed
// point is P(h < r) = q. Working in log space makes the learning rate a relative step (the same
// on partners whose bids are cents or dollars), keeps r > 0, and changes no quantile (log is
// monotone). r never drops below kMinReserve (so it can climb back after a run of requests
// without bids, which count as h = 0) and never rises above max(initial, largest h x
// exp(lr q)), so it stays finite. With a stationary bid distribution the reserve fluctuates around
// the quantile with Var(log r) ~= lr q (1 - q) / (2 g), g the density of log h at the quantile.
//
// Why a quantile: with n bidders whose values are i.i.d. from a regular F, the revenue-maximizing
// (Myerson) reserve solves r = (1 - F(r)) / f(r), and it sits at a fixed quantile of the highest
// bid, F(r*)^n (0.25 for two U[0, 1] bidders, where r* = 0.5). Tracking that quantile learns the
// optimal reserve without a model of F and follows drift; q is the knob to sweep (default 0.3).
class LearnedReserve final : public ReservePolicy {
 public:
  // The floor of a learned reserve, USD per click.
  static constexpr double kMinReserve = 1e-6;

  // `partners` reserves start at `initial` (USD per click, > 0); q in (0, 1); learning_rate > 0.
  LearnedReserve(std::size_t partners, double quantile, double learning_rate, double initial);

 private:
  double do_reserve(std::uint32_t partner) const override { return reserve_[index(partner)]; }
  void do_observe(std::uint32_t partner, double highest_bid, double second_bid) override;
  std::size_t index(std::uint32_t partner) const;

  std::vector<double> reserve_;  // USD per click, by partner
  double up_;                    // exp(lr q): factor when the highest bid reaches the reserve
  double down_;                  // exp(-lr (1 - q)): factor when it falls short
};

// Adds "learned" to the registry.
void register_learned_reserve(ReservePolicyRegistry& registry);

}  // namespace marketsim
