// Content: content-based filtering, offers like those of the cart's category.
#pragma once

#include <cstdint>
#include <vector>

#include "policies/candidates/candidate_generator.h"
#include "policies/candidates/top_k.h"

namespace marketsim {

// Stage 1 by content similarity to the cart. Eligible ads whose category is the cart's come
// first; all are then ranked by the cosine between their content embedding and the centroid of
// the embeddings of every catalog entry in the cart's category, ties by bid, then lower id; the k
// best are kept, plus the partner's eligible first-party offers. When the cart's category is
// missing (kMissingCategory) or has no offer in the catalog, the k highest bids are kept instead;
// without embeddings (or with a zero centroid) the cosine counts as 0. Centroids and norms are
// computed from the catalog the first time it is seen (and again only if a different catalog is
// passed): the catalog's embeddings are fixed in a run.
class Content final : public CandidateGenerator {
 public:
  Content(int k, const CandidateContext& context);

 private:
  void do_generate(const Request& request, const MarketView& market,
                   std::vector<std::uint32_t>& out) override;

  // Recomputes the per-category centroids and the offers' norms for `market`'s catalog.
  void index(const MarketView& market);

  TopK top_;
  const Offer* indexed_ = nullptr;  // the catalog the centroids belong to
  std::size_t indexed_size_ = 0;
  int dim_ = 0;
  std::vector<double> centroids_;           // dim_ per category (unit length, or zero)
  std::vector<double> norms_;               // by offer
  std::vector<std::uint8_t> has_centroid_;  // by category
};

// Adds "content" to the registry.
void register_content(CandidateGeneratorRegistry& registry);

}  // namespace marketsim
