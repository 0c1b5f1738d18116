// Targeting: business rules and advertiser targeting (device, region, a cap per advertiser).
#pragma once

#include <cstdint>
#include <vector>

#include "policies/candidates/candidate_generator.h"
#include "policies/candidates/top_k.h"

namespace marketsim {

// Stage 1 as rule-based ad servers do it. The partner's allow/block list (category_allowed) and
// budgets come from eligibility; on top of it each advertiser may target one device and one
// region: advertiser a restricts to a device with probability `device_targeting_share`, and to a
// region with probability `region_targeting_share`, both decided by hashing a's id (so the same
// advertiser targets the same way in every run and every cell), and the targeted device / region
// is hashed from the id as well. A request whose device or region is missing does not match a
// restricted advertiser (its targeting cannot be verified). Region targeting needs
// CandidateContext::regions; when that is 0 no advertiser restricts by region. Among the ads that
// pass, the k with the highest bids are kept (bids of different bid types are compared as plain
// numbers: this is a cheap rule, not a value estimate), at most `max_per_advertiser` per
// advertiser (0: no cap), ties to the lower offer id; the partner's eligible first-party offers
// always come on top.
class Targeting final : public CandidateGenerator {
 public:
  struct Params {
    int k = 20;
    int max_per_advertiser = 0;
    double device_targeting_share = 0;
    double region_targeting_share = 0;
  };

  Targeting(const Params& params, const CandidateContext& context);

  // True when `advertiser`'s device and region targeting match the request's features.
  bool targets(std::uint32_t advertiser, const RequestFeatures& features) const;

 private:
  void do_generate(const Request& request, const MarketView& market,
                   std::vector<std::uint32_t>& out) override;

  Params params_;
  int regions_;
  TopK top_;
  std::vector<std::uint32_t> taken_;  // ads kept so far per advertiser (cap > 0 only)
};

// Adds "targeting" to the registry.
void register_targeting(CandidateGeneratorRegistry& registry);

}  // namespace marketsim
