// Content: category match first, then cosine similarity to the cart category's centroid.
#include "policies/candidates/content.h"

#include <algorithm>
#include <cmath>

namespace marketsim {
namespace {

constexpr double kCategoryMatchBonus = 2;  // above any cosine gap, so matches rank first

}  // namespace

Content::Content(int k, const CandidateContext& context)
    : top_(context.offers, k), dim_(context.latent_dim) {
  norms_.reserve(context.offers);
}

void Content::index(const MarketView& market) {
  indexed_ = market.offers.data();
  indexed_size_ = market.offers.size();
  dim_ = market.latent_dim;
  std::size_t categories = 0;
  for (const Offer& offer : market.offers)
    categories = std::max<std::size_t>(categories, offer.category + 1u);
  const std::size_t dim = static_cast<std::size_t>(dim_);
  centroids_.assign(categories * dim, 0.0);
  has_centroid_.assign(categories, 0);
  norms_.assign(market.offers.size(), 0.0);
  for (const Offer& offer : market.offers) {
    const float* e = market.embeddings.data() + offer.id * dim;
    double* c = centroids_.data() + offer.category * dim;
    double squared = 0;
    for (std::size_t i = 0; i < dim; ++i) {
      c[i] += e[i];
      squared += double(e[i]) * e[i];
    }
    norms_[offer.id] = std::sqrt(squared);
  }
  for (std::size_t category = 0; category < categories; ++category) {
    double* c = centroids_.data() + category * dim;
    double squared = 0;
    for (std::size_t i = 0; i < dim; ++i) squared += c[i] * c[i];
    if (squared <= 0) continue;
    has_centroid_[category] = 1;
    for (std::size_t i = 0; i < dim; ++i) c[i] /= std::sqrt(squared);
  }
}

void Content::do_generate(const Request& request, const MarketView& market,
                          std::vector<std::uint32_t>& out) {
  if (market.offers.data() != indexed_ || market.offers.size() != indexed_size_) index(market);
  top_.clear();
  const std::uint16_t cart = request.features.cart_category;
  const bool known_cart = cart < has_centroid_.size();
  const std::size_t dim = static_cast<std::size_t>(dim_);
  const double* centroid =
      known_cart && has_centroid_[cart] ? centroids_.data() + cart * dim : nullptr;
  scan_eligible(request, market, out, [&](const Offer& offer) {
    if (!known_cart) {
      top_.add(offer.id, offer.bid);
      return;
    }
    double cosine = 0;
    if (centroid && norms_[offer.id] > 0) {
      const float* e = market.embeddings.data() + offer.id * dim;
      for (std::size_t i = 0; i < dim; ++i) cosine += centroid[i] * e[i];
      cosine /= norms_[offer.id];
    }
    top_.add(offer.id, (offer.category == cart ? kCategoryMatchBonus : 0.0) + cosine, offer.bid);
  });
  top_.append_best(out);
}

void register_content(CandidateGeneratorRegistry& registry) {
  registry.add({"content",
                "content filtering: ads of the cart's category first, then by cosine similarity "
                "to that category's centroid embedding; the k highest bids without a cart "
                "category",
                {k_param()}},
               [](const ParamValues& p, const CandidateContext& context) {
                 return std::make_unique<Content>(static_cast<int>(p.get_int("k")), context);
               });
}

}  // namespace marketsim
