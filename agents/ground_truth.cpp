#include "agents/ground_truth.h"

#include <boost/random/normal_distribution.hpp>
#include <cmath>

namespace marketsim {
namespace {

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

GroundTruth::GroundTruth(const TruthSpec& spec, const AdvertiserMarket& market, int region_count,
                         ReplicationKey key)
    : spec_(spec),
      region_count_(region_count),
      latent_dim_(market.latent_dim),
      market_(&market),
      position_bias_(spec.position_bias),
      delay_mean_us_(spec.conversion_delay_mean_h * static_cast<double>(kMicrosPerHour)),
      noise_(key, "truth.outcome") {
  boost::random::normal_distribution<double> standard_normal;
  const int categories = market.categories;
  categories_ = categories;
  for (int r = 0; r < region_count; ++r) {
    RngStream rng(key, "truth.region", static_cast<std::uint32_t>(r));
    region_effect_.push_back(spec.region_effect_sd * standard_normal(rng));
  }
  for (int c = 0; c < categories; ++c) {
    RngStream rng(key, "truth.category", static_cast<std::uint32_t>(c));
    category_effect_.push_back(spec.category_effect_sd * standard_normal(rng));
    for (int v = 0; v < kVerticalCount; ++v)
      category_vertical_cross_.push_back(spec.category_vertical_cross_sd * standard_normal(rng));
  }
  // Systematic effects of how an offer is shown: one per layout and per message value.
  int layouts = 0, messages = 0;
  for (const Offer& o : market.offers) {
    layouts = std::max(layouts, o.layout + 1);
    messages = std::max(messages, o.message + 1);
  }
  std::vector<double> layout_effect, message_effect;
  for (int l = 0; l < layouts; ++l) {
    RngStream rng(key, "truth.layout", static_cast<std::uint32_t>(l));
    layout_effect.push_back(spec.creative_effect_sd * standard_normal(rng));
  }
  for (int m = 0; m < messages; ++m) {
    RngStream rng(key, "truth.message", static_cast<std::uint32_t>(m));
    message_effect.push_back(spec.creative_effect_sd * standard_normal(rng));
  }
  const double rho = spec.click_conversion_correlation;
  const double rho_q = spec.quality_click_correlation;
  std::uint32_t product_seen = static_cast<std::uint32_t>(-1);
  double z_click = 0, z_conversion = 0, z_quality = 0;
  std::size_t products = 0;
  for (const Offer& offer : market.offers) {
    if (offer.product != product_seen) {  // creatives of an offer are contiguous
      product_seen = offer.product;
      ++products;
      // An ad's creatives share their offer's effects; a first-party offer has no creatives.
      const std::uint32_t offer_entity = offer.bid_type == BidType::kFirstParty
                                             ? offer.entity
                                             : offer.entity / kMaxCreativesPerOffer;
      RngStream rng(key, "truth.offer", offer_entity);
      z_click = standard_normal(rng);
      z_conversion = rho * z_click + std::sqrt(1 - rho * rho) * standard_normal(rng);
      z_quality = rho_q * z_click + std::sqrt(1 - rho_q * rho_q) * standard_normal(rng);
    }
    RngStream rng(key, "truth.creative", offer.entity);
    double effect = spec.offer_effect_sd * z_click +
                    spec.creative_effect_sd * standard_normal(rng) + layout_effect[offer.layout] +
                    message_effect[offer.message];
    double quality = sigmoid(spec.quality_mean + spec.quality_sd * z_quality);
    if (offer.product < static_cast<std::uint32_t>(spec.clickbait_offers)) {
      effect += spec.clickbait_click_boost;
      quality = spec.clickbait_quality;
    }
    if (offer.bid_type == BidType::kFirstParty) effect += spec.first_party_effect;
    offer_click_effect_.push_back(effect);
    for (int d = 0; d < kDeviceCount; ++d)
      offer_device_cross_.push_back(spec.offer_device_cross_sd * standard_normal(rng));
    conversion_effect_.push_back(spec.conversion_effect_sd * z_conversion);
    quality_.push_back(quality);
  }
  if (spec.reversal_strength != 0 && products >= 2) {
    // The classic case: offer A (product 0) beats offer B (product 1) on average, loses on
    // Android. A's creatives copy B's first creative, shifted by +s overall and -1.5 s on Android.
    std::size_t b = 0;
    while (market.offers[b].product != 1) ++b;
    const double s = spec.reversal_strength;
    for (std::size_t a = 0; market.offers[a].product == 0; ++a) {
      offer_click_effect_[a] = offer_click_effect_[b] + s +
                               category_effect_[market.offers[b].category] -
                               category_effect_[market.offers[a].category];
      for (int d = 0; d < kDeviceCount; ++d)
        offer_device_cross_[a * kDeviceCount + d] =
            offer_device_cross_[b * kDeviceCount + d] - (d == 0 ? 1.5 * s : 0.0);
    }
  }
  device_offset_.assign(kDeviceCount, 0.0);
  age_offset_.assign(kAgeBandCount, 0.0);
  category_offset_.assign(static_cast<std::size_t>(categories), 0.0);
  product_offset_.assign(products, 0.0);
  rebuild_user_terms();
  rebuild_offer_terms();
}

void GroundTruth::rebuild_user_terms() {
  user_term_.assign(static_cast<std::size_t>(kDeviceCount) * region_count_ * kAgeBandCount * 2, 0);
  for (int d = 0; d < kDeviceCount; ++d)
    for (int r = 0; r < region_count_; ++r)
      for (int a = 0; a < kAgeBandCount; ++a)
        for (int ret = 0; ret < 2; ++ret) {
          const UserAttributes kind{static_cast<std::uint8_t>(d), static_cast<std::uint8_t>(r),
                                    static_cast<std::uint8_t>(a), ret == 1};
          user_term_[user_kind(kind)] = spec_.click_intercept + intercept_offset_ +
                                        spec_.device_effect[d] + device_offset_[d] +
                                        spec_.age_effect[a] + age_offset_[a] + region_effect_[r] +
                                        (ret ? spec_.returning_effect + returning_offset_ : 0.0);
        }
  affinity_scale_ = (spec_.affinity_weight + affinity_offset_) / std::sqrt(double(latent_dim_));
}

void GroundTruth::rebuild_offer_terms() {
  offer_term_.resize(market_->offers.size());
  conversion_probability_.resize(market_->offers.size());
  for (const Offer& o : market_->offers)
    conversion_probability_[o.id] =
        sigmoid(spec_.conversion_intercept + conversion_offset_ + conversion_effect_[o.id]);
  for (const Offer& o : market_->offers)
    offer_term_[o.id] = offer_click_effect_[o.id] + category_effect_[o.category] +
                        category_offset_[o.category] + product_offset_[o.product];
}

double GroundTruth::click_logit(const TruthContext& ctx, std::size_t user_term,
                                std::uint32_t offer) const {
  double logit = 0;
  click_logits<0>(ctx, user_term, {&offer, 1}, {&logit, 1});
  return logit;
}

template <int Dim>
void GroundTruth::click_logits(const TruthContext& ctx, std::size_t user_term,
                               std::span<const std::uint32_t> offers, std::span<double> out) const {
  // Two offers at a time, one per lane: each lane sums its products in the order of the scalar
  // loop, so the logits are the same to the bit, at half the instructions.
  using FloatPair = float __attribute__((vector_size(8)));
  using DoublePair = double __attribute__((vector_size(16)));
  const int dim = Dim > 0 ? Dim : latent_dim_;
  const double user = user_term_[user_term];
  const float* latent = ctx.latent.data();
  const float* embeddings = market_->embeddings.data();
  const Offer* catalog = market_->offers.data();
  const double* device_cross = offer_device_cross_.data() + ctx.user->device;
  const double* vertical_cross = category_vertical_cross_.data() + ctx.vertical;
  const auto logit = [&](std::uint32_t offer, double affinity) {
    return user + offer_term_[offer] +
           device_cross[static_cast<std::size_t>(offer) * kDeviceCount] +
           vertical_cross[static_cast<std::size_t>(catalog[offer].category) * kVerticalCount] +
           affinity_scale_ * affinity;
  };
  std::size_t i = 0;
  for (; i + 1 < offers.size(); i += 2) {
    const std::uint32_t a = offers[i], b = offers[i + 1];
    const float* ea = embeddings + static_cast<std::size_t>(a) * dim;
    const float* eb = embeddings + static_cast<std::size_t>(b) * dim;
    DoublePair affinity{0.0, 0.0};
    for (int d = 0; d < dim; ++d) {
      const FloatPair product = latent[d] * FloatPair{ea[d], eb[d]};
      affinity += __builtin_convertvector(product, DoublePair);
    }
    out[i] = logit(a, affinity[0]);
    out[i + 1] = logit(b, affinity[1]);
  }
  if (i < offers.size()) {
    const std::uint32_t offer = offers[i];
    const float* e = embeddings + static_cast<std::size_t>(offer) * dim;
    double affinity = 0;
    for (int d = 0; d < dim; ++d) affinity += latent[d] * e[d];
    out[i] = logit(offer, affinity);
  }
}

double GroundTruth::base_click_probability(const TruthContext& ctx, std::uint32_t offer) const {
  return sigmoid(click_logit(ctx, user_kind(*ctx.user), offer));
}

void GroundTruth::base_click_probabilities(const TruthContext& ctx,
                                           std::span<const std::uint32_t> offers,
                                           std::span<double> out) const {
  const std::size_t kind = user_kind(*ctx.user);
  switch (latent_dim_) {  // the usual dimensions unrolled; the sums are the same
    case 8:
      click_logits<8>(ctx, kind, offers, out);
      break;
    case 16:
      click_logits<16>(ctx, kind, offers, out);
      break;
    default:
      click_logits<0>(ctx, kind, offers, out);
  }
  for (double& p : out) p = sigmoid(p);
}

Outcome GroundTruth::outcome(std::uint64_t transaction, const TruthContext& ctx,
                             std::uint32_t offer, int slot) const {
  const auto u = noise_.block(market_->offers[offer].entity, transaction);
  const double base = base_click_probability(ctx, offer);
  Outcome out{base, position_bias_[slot] * base, false, false, 0};
  out.clicked = to_unit_open(u[0]) < out.click_probability;
  if (out.clicked && to_unit_open(u[1]) < conversion_probability(offer)) {
    out.converted = true;
    out.conversion_delay =
        static_cast<SimTime>(std::llround(-std::log(to_unit_open(u[2])) * delay_mean_us_));
  }
  return out;
}

void GroundTruth::set_offset(const TruthCoefficient& c, double offset) {
  switch (c.kind) {
    case TruthCoefficient::Kind::kClickIntercept:
      intercept_offset_ = offset;
      break;
    case TruthCoefficient::Kind::kReturningEffect:
      returning_offset_ = offset;
      break;
    case TruthCoefficient::Kind::kAffinityWeight:
      affinity_offset_ = offset;
      break;
    case TruthCoefficient::Kind::kConversionIntercept:
      conversion_offset_ = offset;
      break;
    case TruthCoefficient::Kind::kDeviceEffect:
      device_offset_.at(c.index) = offset;
      break;
    case TruthCoefficient::Kind::kAgeEffect:
      age_offset_.at(c.index) = offset;
      break;
    case TruthCoefficient::Kind::kCategoryEffect:
      category_offset_.at(c.index) = offset;
      break;
    case TruthCoefficient::Kind::kOfferEffect:
      product_offset_.at(c.index) = offset;
      break;
  }
  rebuild_user_terms();
  rebuild_offer_terms();
}

}  // namespace marketsim
