// TopK: the k best-scoring ads of a request, chosen in reusable buffers, and the catalog scan
// every k-limited candidate generator shares.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "policies/candidates/candidate_generator.h"

namespace marketsim {

// One scored ad: ranked by `score`, then by `tie` (both descending), then by lower offer id.
struct ScoredOffer {
  double score;
  double tie;
  std::uint32_t id;
};

// True when `a` ranks above `b`. A strict total order (ids are unique), so a selection never
// depends on the order in which ads were added.
inline bool ranks_before(const ScoredOffer& a, const ScoredOffer& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.tie != b.tie) return a.tie > b.tie;
  return a.id < b.id;
}

// Collects scored ads and selects the k best. Its buffer is reserved at construction for the
// whole catalog, so add() does not allocate while the catalog is no larger than that.
class TopK {
 public:
  // `capacity`: catalog size; `k` >= 1: how many ads to keep.
  TopK(std::size_t capacity, int k);

  int k() const { return k_; }
  std::size_t size() const { return items_.size(); }

  // Forgets every ad added so far (keeps the buffer).
  void clear() { items_.clear(); }

  // Adds one candidate ad.
  void add(std::uint32_t id, double score, double tie = 0) { items_.push_back({score, tie, id}); }

  // Appends the ids of the k best ads (all of them when fewer were added) to `out`.
  void append_best(std::vector<std::uint32_t>& out);

  // Sorts every added ad best first and returns them, for selections with extra rules.
  std::span<const ScoredOffer> sorted();

 private:
  int k_;
  std::vector<ScoredOffer> items_;
};

// Calls `on_ad(offer)` for every eligible ad of the catalog and appends every eligible first-party
// offer to `out`. The partner's own offers are a handful per partner and cost it nothing, so every
// k-limited generator keeps all of them on top of its k ads; only ads compete for the k places.
template <typename OnAd>
void scan_eligible(const Request& request, const MarketView& market,
                   std::vector<std::uint32_t>& out, OnAd&& on_ad) {
  for (const Offer& offer : market.offers) {
    if (!CandidateGenerator::eligible(request, market, offer)) continue;
    if (offer.bid_type == BidType::kFirstParty)
      out.push_back(offer.id);
    else
      on_ad(offer);
  }
}

// The parameter `k` every k-limited generator declares: the number of ad candidates.
ParamSpec k_param();

}  // namespace marketsim
