// Ann: approximate nearest neighbours (hnswlib HNSW) between user and offer embeddings.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "policies/candidates/candidate_generator.h"
#include "policies/candidates/segments.h"
#include "policies/candidates/top_k.h"
#include "sim/core/sim_time.h"

namespace hnswlib {
template <typename dist_t>
class HierarchicalNSW;
class InnerProductSpace;
}  // namespace hnswlib

namespace marketsim {

// Stage 1 by embedding retrieval. Users: learn() moves a user's embedding toward the content
// embedding e of each offer it clicks, u <- u + user_learning_rate (e - u) (the first click sets
// u = e), stored as latent_dim floats per user, allocated at construction. A segment's (see
// Segments) and a global embedding follow all clicks the same way with `segment_learning_rate`;
// a user without clicks queries with its segment's embedding, else the global one; before any
// click at all the k highest bids are kept (cold start). Offers: an HNSW index (hnswlib,
// inner-product space, parameters M, ef_construction, ef_search) over the content embeddings of
// every ad product (one point per product: an offer's creatives share its embedding), rebuilt
// from the catalog at the first request and then whenever request.time passes a multiple of
// rebuild_every_h simulated hours. The index holds all ads, eligible or not: a query asks for
// k' = max(2k, ef_search) products, keeps the eligible creatives of each in order of inner
// product (ties to the lower product and offer id) up to k ads, and doubles k' until k ads survive
// or the query covers the whole index; a query that would cover the whole index ranks every
// product exactly instead (cheaper than the graph walk, e.g. for small catalogs). The partner's
// eligible first-party offers come on top. Deterministic: points are inserted single-threaded in
// product order with a fixed seed for hnswlib's level generator (hnswlib draws levels with
// std::default_random_engine and std::uniform_real_distribution, fixed for one standard library).
// Allocation happens at construction and at rebuilds, except inside hnswlib's searchKnn (its result
// queue).
class Ann final : public CandidateGenerator {
 public:
  struct Params {
    int k = 20;
    int m = 16;
    int ef_construction = 200;
    int ef_search = 64;
    double rebuild_every_h = 24;
    double user_learning_rate = 0.2;
    double segment_learning_rate = 0.01;
  };

  Ann(const Params& params, const CandidateContext& context);

  // Bytes of the users' learned embeddings for `context`: what the generator's memory grows with.
  static double user_bytes(const CandidateContext& context);
  ~Ann() override;

  void learn(const Request& request, std::uint32_t offer, int slot, bool clicked) override;

  // The embedding a request queries with (latent_dim floats): the user's, else its segment's, else
  // the global one; empty before any click was learned.
  std::span<const float> query(const Request& request) const;

 private:
  void do_generate(const Request& request, const MarketView& market,
                   std::vector<std::uint32_t>& out) override;

  // Copies the catalog's embeddings, regroups its products and rebuilds the HNSW index.
  void rebuild(const MarketView& market);

  // Fills first_party_, the products' ads (product_start_, product_ads_) and the indexed products
  // with their embeddings (indexed_, product_vectors_) from `market`'s catalog.
  void group_products(const MarketView& market);

  // Appends up to k eligible ads nearest to `q` to `out`.
  void append_nearest(const Request& request, const MarketView& market, std::span<const float> q,
                      std::vector<std::uint32_t>& out);

  // Fills hits_ with the `wanted` products the index finds nearest to `q`, nearest first.
  void query_index(std::span<const float> q, std::size_t wanted);

  // Fills hits_ with every indexed product, nearest to `q` first (exact).
  void rank_all_products(std::span<const float> q);

  // Moves `target` toward `e` by `rate` (copies `e` when `seen` is 0, then sets it).
  void follow(float* target, std::uint8_t& seen, const float* e, double rate) const;

  Params params_;
  std::size_t dim_;
  Segments segments_;
  std::vector<float> users_;  // dim_ per user
  std::vector<std::uint8_t> user_seen_;
  std::vector<float> segment_embeddings_;  // dim_ per segment
  std::vector<std::uint8_t> segment_seen_;
  std::vector<float> global_;
  std::uint8_t global_seen_ = 0;

  bool built_ = false;
  SimTime next_rebuild_ = 0;
  std::vector<float> offer_embeddings_;       // copy of the catalog's, dim_ per offer
  std::vector<std::uint32_t> product_start_;  // CSR: ads of product p are
  std::vector<std::uint32_t> product_ads_;    //   product_ads_[start[p], start[p + 1])
  std::vector<std::uint32_t> first_party_;    // every first-party offer of the catalog
  std::unique_ptr<hnswlib::InnerProductSpace> space_;
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> index_;
  std::vector<std::uint32_t> indexed_;  // the products in the index (those with ads), in order
  std::vector<float> product_vectors_;  // their embeddings, dim_ per indexed product
  std::vector<std::pair<float, std::size_t>> hits_;  // reused query results (distance, product)
  TopK cold_;
};

// Adds "ann" to the registry.
void register_ann(CandidateGeneratorRegistry& registry);

}  // namespace marketsim
