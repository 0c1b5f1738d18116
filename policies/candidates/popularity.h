// Popularity: the most clicked ads, with clicks decaying over simulated time.
#pragma once

#include <cstdint>
#include <vector>

#include "policies/candidates/candidate_generator.h"
#include "policies/candidates/top_k.h"
#include "sim/core/sim_time.h"

namespace marketsim {

// Stage 1 by global popularity: an ad's score is its click count from learn(), each click weighted
// by 2^(-age / half_life_h) (age = request time minus click time, simulated hours). Ads with equal
// scores (notably all never-clicked ones, so all ads at cold start) rank by bid, then lower offer
// id; the k best are kept, plus the partner's eligible first-party offers. Weights are stored as
// 2^((t_click - t_ref) / half_life) against a reference time that is moved forward (rescaling
// every weight, a fixed-order loop) before they can overflow, so decay costs nothing per request.
class Popularity final : public CandidateGenerator {
 public:
  // `half_life_h` > 0, in simulated hours.
  Popularity(int k, double half_life_h, const CandidateContext& context);

  void learn(const Request& request, std::uint32_t offer, int slot, bool clicked) override;

  // The decayed click count of `offer` at time `now` (not before the last click learned).
  double decayed_clicks(std::uint32_t offer, SimTime now) const;

 private:
  void do_generate(const Request& request, const MarketView& market,
                   std::vector<std::uint32_t>& out) override;

  double half_life_h_;
  SimTime reference_ = 0;
  std::vector<double> weight_;  // by offer, relative to reference_
  TopK top_;
};

// Adds "popularity" to the registry.
void register_popularity(CandidateGeneratorRegistry& registry);

}  // namespace marketsim
