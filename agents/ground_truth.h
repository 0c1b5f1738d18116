// GroundTruth: the hidden click, conversion and quality model that users act on.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "agents/advertiser.h"
#include "agents/partner.h"
#include "agents/user_population.h"
#include "sim/core/param.h"
#include "sim/core/rng.h"
#include "sim/core/sim_time.h"

namespace marketsim {

// Scenario parameters of the hidden truth (section [truth]).
struct TruthSpec {
  double click_intercept = 0;
  std::vector<double> device_effect;  // kDeviceCount logit effects
  std::vector<double> age_effect;     // kAgeBandCount logit effects
  double returning_effect = 0;
  double region_effect_sd = 0;
  double category_effect_sd = 0;
  double offer_effect_sd = 0;
  double creative_effect_sd = 0;  // layout, message and per-creative effects
  double offer_device_cross_sd = 0;
  double category_vertical_cross_sd = 0;
  double affinity_weight = 0;
  double first_party_effect = 0;
  std::vector<double> position_bias;  // examination probability per slot
  double quality_mean = 0;
  double quality_sd = 0;
  double quality_click_correlation = 0;
  std::int64_t clickbait_offers = 0;
  double clickbait_click_boost = 0;
  double clickbait_quality = 0;
  double reversal_strength = 0;
  double conversion_intercept = 0;
  double conversion_effect_sd = 0;
  double click_conversion_correlation = 0;
  double conversion_delay_mean_h = 0;

  static std::vector<ParamSpec> declare();
  static TruthSpec from(const ParamValues& values);
};

// A coefficient of the click or conversion model that drift can move (see DriftSchedule).
struct TruthCoefficient {
  enum class Kind {
    kClickIntercept,
    kReturningEffect,
    kAffinityWeight,
    kConversionIntercept,
    kDeviceEffect,
    kAgeEffect,
    kCategoryEffect,
    kOfferEffect
  };
  Kind kind;
  int index = 0;  // device, age band, category or offer (product) index
};

// The user side of a request as the truth sees it.
struct TruthContext {
  const UserAttributes* user;
  std::span<const float> latent;  // the user's latent preference vector
  int vertical;                   // the partner's vertical
};

// What happened when one offer was shown in one slot of one transaction.
struct Outcome {
  double base_click_probability;  // true P(click) before position bias
  double click_probability;       // true P(click) in that slot
  bool clicked;
  bool converted;            // only when clicked
  SimTime conversion_delay;  // only when converted
};

// The true behaviour of users:
//   P(click) = position_bias[slot] * sigmoid(intercept + device + age + returning + region
//              + category + offer + creative (layout + message + own) + offer x device
//              + category x vertical
//              + affinity_weight * <user latent, offer embedding> / sqrt(dim))
//   P(conversion | click) = sigmoid(conversion_intercept + the offer's conversion effect), the
//   latter correlated with the offer's click effect; conversion delay ~ exponential.
// Each offer also has a quality in [0, 1] (what users think of it afterwards), distinct from its
// attractiveness: clickbait offers click well and satisfy badly. Offer effects come from streams
// keyed by the offer's entity. Outcome noise is one Philox block per (offer, transaction) from
// ("truth.outcome"), so every policy that shows the same offer in the same transaction sees the
// same uniforms, and a better slot clicks whenever a worse one would. Coefficients move only
// through set_offset (drift). Visible to the world and recorder, never to policies or models.
class GroundTruth {
 public:
  GroundTruth(const TruthSpec& spec, const AdvertiserMarket& market, int region_count,
              ReplicationKey key);

  // True P(click) of `offer` for the context, before position bias.
  double base_click_probability(const TruthContext& ctx, std::uint32_t offer) const;

  // The same for each of `offers` (out: same length).
  void base_click_probabilities(const TruthContext& ctx, std::span<const std::uint32_t> offers,
                                std::span<double> out) const;

  // True P(click) of `offer` in `slot`.
  double click_probability(const TruthContext& ctx, std::uint32_t offer, int slot) const {
    return position_bias_[slot] * base_click_probability(ctx, offer);
  }

  double conversion_probability(std::uint32_t offer) const {
    return conversion_probability_[offer];
  }
  // The chance that a conversion's exponential delay is at most `window`.
  double delay_within(SimTime window) const {
    return -std::expm1(-static_cast<double>(window) / delay_mean_us_);
  }
  double quality(std::uint32_t offer) const { return quality_[offer]; }
  double position_bias(int slot) const { return position_bias_[slot]; }

  // Draws the outcome of showing `offer` in `slot` during transaction `transaction`.
  Outcome outcome(std::uint64_t transaction, const TruthContext& ctx, std::uint32_t offer,
                  int slot) const;

  // Sets the drift offset added to a coefficient (replacing the previous offset).
  void set_offset(const TruthCoefficient& coefficient, double offset);

 private:
  // The click logit of `offer` for the context, whose user kind is `user_term`.
  double click_logit(const TruthContext& ctx, std::size_t user_term, std::uint32_t offer) const;
  // The click logits of `offers` (out: same length); Dim is the latent dimension when known at
  // compile time, else 0.
  template <int Dim>
  void click_logits(const TruthContext& ctx, std::size_t user_term,
                    std::span<const std::uint32_t> offers, std::span<double> out) const;
  void rebuild_user_terms();
  void rebuild_offer_terms();
  std::size_t user_kind(const UserAttributes& u) const {
    return ((static_cast<std::size_t>(u.device) * region_count_ + u.region) * kAgeBandCount +
            u.age_band) *
               2 +
           (u.returning ? 1 : 0);
  }

  TruthSpec spec_;
  int region_count_;
  int latent_dim_;
  int categories_;
  const AdvertiserMarket* market_;
  std::vector<double> position_bias_;
  std::vector<double> region_effect_;
  std::vector<double> category_effect_;
  std::vector<double> offer_click_effect_;  // per catalog entry: offer + creative (+ clickbait)
  std::vector<double> offer_device_cross_;  // per catalog entry x device
  std::vector<double> category_vertical_cross_;
  std::vector<double> conversion_effect_;
  std::vector<double> quality_;
  // Drift offsets.
  double intercept_offset_ = 0, returning_offset_ = 0, affinity_offset_ = 0;
  double conversion_offset_ = 0;
  std::vector<double> device_offset_, age_offset_, category_offset_, product_offset_;
  // Derived tables, rebuilt when an offset changes.
  std::vector<double> user_term_;               // per user kind
  std::vector<double> offer_term_;              // per catalog entry
  std::vector<double> conversion_probability_;  // per catalog entry
  double affinity_scale_ = 0;
  double delay_mean_us_;
  CounterRng noise_;
};

}  // namespace marketsim
