// Ann: EMA user embeddings from clicks, an HNSW index over ad products rebuilt on a schedule.
#include "policies/candidates/ann.h"

// Scalar distances: hnswlib's SIMD kernels are picked by compile flags and CPU checks at run
// time, and sum in different orders, so the same catalog could give different graphs on different
// machines; its SSE prefetches also read past the end of neighbour lists (hnswlib issues #107 and
// #578), which AddressSanitizer reports. Embeddings have at most 32 dimensions: SIMD gains little.
#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <stdexcept>

#include "sim/core/rng.h"

namespace marketsim {
namespace {

constexpr std::size_t kLevelSeed = component_id("candidates.ann");

}  // namespace

double Ann::user_bytes(const CandidateContext& context) {
  const auto dim = static_cast<double>(std::max(context.latent_dim, 0));
  return static_cast<double>(context.users) * (dim * sizeof(float) + sizeof(std::uint8_t));
}

Ann::Ann(const Params& params, const CandidateContext& context)
    : params_(params),
      dim_(static_cast<std::size_t>(std::max(context.latent_dim, 0))),
      segments_(context.regions),
      users_(context.users * dim_, 0.0f),
      user_seen_(context.users, 0),
      segment_embeddings_(segments_.count() * dim_, 0.0f),
      segment_seen_(segments_.count(), 0),
      global_(dim_, 0.0f),
      offer_embeddings_(context.offers * dim_, 0.0f),
      cold_(context.offers, params.k) {
  if (params.m < 2 || params.ef_construction < 1 || params.ef_search < 1 ||
      !(params.rebuild_every_h > 0))
    throw std::invalid_argument("ann: invalid index parameters");
  product_start_.reserve(context.offers + 1);
  product_ads_.reserve(context.offers);
  indexed_.reserve(context.offers);
  product_vectors_.reserve(context.offers * dim_);
  first_party_.reserve(context.offers);
  hits_.reserve(context.offers);
}

Ann::~Ann() = default;

void Ann::follow(float* target, std::uint8_t& seen, const float* e, double rate) const {
  const float r = seen ? static_cast<float>(rate) : 1.0f;
  for (std::size_t i = 0; i < dim_; ++i) target[i] += r * (e[i] - target[i]);
  seen = 1;
}

void Ann::learn(const Request& request, std::uint32_t offer, int, bool clicked) {
  if (!clicked || !built_ || dim_ == 0 || (offer + 1) * dim_ > offer_embeddings_.size()) return;
  const float* e = offer_embeddings_.data() + offer * dim_;
  if (request.user < user_seen_.size())
    follow(users_.data() + request.user * dim_, user_seen_[request.user], e,
           params_.user_learning_rate);
  const std::size_t segment = segments_.of(request.features);
  follow(segment_embeddings_.data() + segment * dim_, segment_seen_[segment], e,
         params_.segment_learning_rate);
  follow(global_.data(), global_seen_, e, params_.segment_learning_rate);
}

std::span<const float> Ann::query(const Request& request) const {
  if (request.user < user_seen_.size() && user_seen_[request.user])
    return {users_.data() + request.user * dim_, dim_};
  const std::size_t segment = segments_.of(request.features);
  if (segment_seen_[segment]) return {segment_embeddings_.data() + segment * dim_, dim_};
  if (global_seen_) return global_;
  return {};
}

void Ann::rebuild(const MarketView& market) {
  const std::size_t n = market.offers.size();
  if (static_cast<std::size_t>(market.latent_dim) != dim_ || market.embeddings.size() < n * dim_)
    throw std::logic_error("ann: the market's embeddings do not match the context's latent_dim");
  built_ = true;
  offer_embeddings_.assign(market.embeddings.begin(),
                           market.embeddings.begin() + static_cast<std::ptrdiff_t>(n * dim_));
  group_products(market);
  index_.reset();
  if (dim_ == 0 || indexed_.empty()) return;
  if (!space_) space_ = std::make_unique<hnswlib::InnerProductSpace>(dim_);
  index_ = std::make_unique<hnswlib::HierarchicalNSW<float>>(
      space_.get(), indexed_.size(), params_.m, params_.ef_construction, kLevelSeed);
  index_->setEf(params_.ef_search);
  for (std::size_t j = 0; j < indexed_.size(); ++j)
    index_->addPoint(product_vectors_.data() + j * dim_, indexed_[j]);
}

void Ann::group_products(const MarketView& market) {
  std::size_t products = 0;
  first_party_.clear();
  for (const Offer& offer : market.offers) {
    if (offer.bid_type == BidType::kFirstParty)
      first_party_.push_back(offer.id);
    else
      products = std::max<std::size_t>(products, offer.product + 1u);
  }
  product_start_.assign(products + 1, 0);
  for (const Offer& offer : market.offers)
    if (offer.bid_type != BidType::kFirstParty) ++product_start_[offer.product + 1];
  for (std::size_t p = 0; p < products; ++p) product_start_[p + 1] += product_start_[p];
  product_ads_.assign(product_start_.back(), 0);
  std::vector<std::uint32_t> next(product_start_.begin(), product_start_.end() - 1);
  for (const Offer& offer : market.offers)  // in id order, so each product's ads are sorted
    if (offer.bid_type != BidType::kFirstParty) product_ads_[next[offer.product]++] = offer.id;
  indexed_.clear();
  product_vectors_.clear();
  for (std::size_t p = 0; p < products; ++p) {
    if (product_start_[p + 1] == product_start_[p]) continue;
    const float* e = offer_embeddings_.data() + product_ads_[product_start_[p]] * dim_;
    indexed_.push_back(static_cast<std::uint32_t>(p));
    product_vectors_.insert(product_vectors_.end(), e, e + dim_);
  }
}

void Ann::query_index(std::span<const float> q, std::size_t wanted) {
  auto found = index_->searchKnn(q.data(), wanted);
  hits_.clear();
  for (; !found.empty(); found.pop()) hits_.push_back(found.top());
  std::sort(hits_.begin(), hits_.end());
}

void Ann::rank_all_products(std::span<const float> q) {
  hits_.clear();
  const float* e = product_vectors_.data();
  for (std::size_t j = 0; j < indexed_.size(); ++j, e += dim_) {
    float dot = 0;
    for (std::size_t i = 0; i < dim_; ++i) dot += q[i] * e[i];
    hits_.push_back({1.0f - dot, indexed_[j]});  // the inner-product space's distance
  }
  std::sort(hits_.begin(), hits_.end());
}

void Ann::append_nearest(const Request& request, const MarketView& market, std::span<const float> q,
                         std::vector<std::uint32_t>& out) {
  const std::size_t first = out.size();
  const std::size_t k = static_cast<std::size_t>(params_.k);
  std::size_t wanted = std::min(indexed_.size(), std::max<std::size_t>(2 * k, params_.ef_search));
  while (true) {
    out.resize(first);
    if (wanted == indexed_.size())
      rank_all_products(q);
    else
      query_index(q, wanted);
    for (std::size_t h = 0; h < hits_.size() && out.size() - first < k; ++h) {
      const std::size_t product = hits_[h].second;
      for (std::uint32_t i = product_start_[product];
           i < product_start_[product + 1] && out.size() - first < k; ++i)
        if (eligible(request, market, market.offers[product_ads_[i]]))
          out.push_back(product_ads_[i]);
    }
    if (out.size() - first == k || wanted == indexed_.size()) return;
    wanted = std::min(indexed_.size(), 2 * wanted);
  }
}

void Ann::do_generate(const Request& request, const MarketView& market,
                      std::vector<std::uint32_t>& out) {
  if (!built_ || request.time >= next_rebuild_) {
    rebuild(market);
    const SimTime period = std::max<SimTime>(1, hours_to_time(params_.rebuild_every_h));
    next_rebuild_ = (request.time / period + 1) * period;
  }
  for (std::uint32_t id : first_party_)
    if (eligible(request, market, market.offers[id])) out.push_back(id);
  const std::span<const float> q = query(request);
  if (index_ && !q.empty()) {
    append_nearest(request, market, q, out);
    return;
  }
  cold_.clear();
  for (const Offer& offer : market.offers)
    if (offer.bid_type != BidType::kFirstParty && eligible(request, market, offer))
      cold_.add(offer.id, offer.bid);
  cold_.append_best(out);
}

void register_ann(CandidateGeneratorRegistry& registry) {
  registry.add(
      {"ann",
       "approximate nearest neighbours (hnswlib HNSW, inner product) between the user's "
       "click-learned embedding and the ads' content embeddings; index rebuilt on a schedule",
       {k_param(), ParamSpec::integer("M", 16, 2, 1024, "HNSW links per node"),
        ParamSpec::integer("ef_construction", 200, 1, 1e6, "HNSW candidate list at build time"),
        ParamSpec::integer("ef_search", 64, 1, 1e6, "HNSW candidate list at query time"),
        ParamSpec::real("rebuild_every_h", 24, 1e-3, 1e9, "period of the index rebuilds", "h"),
        ParamSpec::real("user_learning_rate", 0.2, 1e-6, 1,
                        "step of a user's embedding toward each offer it clicks"),
        ParamSpec::real("segment_learning_rate", 0.01, 1e-6, 1,
                        "step of a segment's and the global embedding toward each click")}},
      [](const ParamValues& p, const CandidateContext& context) {
        return std::make_unique<Ann>(
            Ann::Params{static_cast<int>(p.get_int("k")), static_cast<int>(p.get_int("M")),
                        static_cast<int>(p.get_int("ef_construction")),
                        static_cast<int>(p.get_int("ef_search")), p.get_real("rebuild_every_h"),
                        p.get_real("user_learning_rate"), p.get_real("segment_learning_rate")},
            context);
      },
      [](const ParamValues&, const CandidateContext& context) {
        return Footprint{Ann::user_bytes(context)};
      });
}

}  // namespace marketsim
