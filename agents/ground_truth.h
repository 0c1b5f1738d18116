// GroundTruth: the hidden click and conversion model that users act on.
#pragma once

#include <cstdint>
#include <vector>

#include "agents/advertiser.h"
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
  double region_effect_sd = 0;        // region logit effects ~ N(0, sd)
  double offer_effect_sd = 0;         // offer main effects ~ N(0, sd)
  double offer_device_cross_sd = 0;   // offer x device crosses ~ N(0, sd)
  std::vector<double> position_bias;  // examination probability per slot
  double conversion_intercept = 0;
  double conversion_effect_sd = 0;
  double click_conversion_correlation = 0;
  double conversion_delay_mean_h = 0;

  static std::vector<ParamSpec> declare();
  static TruthSpec from(const ParamValues& values);
};

// What happened when one offer was shown in one slot of one transaction.
struct Outcome {
  double click_probability;  // true P(click) in that slot
  bool clicked;
  bool converted;            // only when clicked
  SimTime conversion_delay;  // only when converted
};

// The true behaviour of users. P(click | user, offer, slot) = position_bias[slot] *
// sigmoid(intercept + device + age + returning + region + offer + offer x device);
// P(conversion | click) = sigmoid(conversion_intercept + conversion effect of the offer), the
// offer's conversion effect correlated with its click effect; conversion delay ~ exponential.
// Outcome noise is one Philox block per (offer, transaction) from ("truth.outcome"), so every
// policy that shows the same offer to the same transaction sees the same uniforms, and a better
// slot clicks whenever a worse one would. Visible to the recorder, never to policies or models.
class GroundTruth {
 public:
  GroundTruth(const TruthSpec& spec, const std::vector<Offer>& offers, int region_count,
              ReplicationKey key);

  // True click probability of `offer` for `user` in `slot`.
  double click_probability(const UserAttributes& user, std::uint32_t offer, int slot) const {
    return position_bias_[slot] * base_click_[index(user, offer)];
  }

  // Draws the outcome of showing `offer` in `slot` during transaction `transaction`.
  Outcome outcome(std::uint64_t transaction, const UserAttributes& user, std::uint32_t offer,
                  int slot) const;

  int slots_modelled() const { return static_cast<int>(position_bias_.size()); }

 private:
  std::size_t index(const UserAttributes& user, std::uint32_t offer) const {
    return ((static_cast<std::size_t>(offer) * kDeviceCount + user.device) * region_count_ +
            user.region) *
               (2 * kAgeBandCount) +
           user.age_band * 2 + (user.returning ? 1 : 0);
  }

  int region_count_;
  std::vector<double> position_bias_;
  std::vector<double> base_click_;  // sigmoid(logit) without position, per (offer, user kind)
  std::vector<double> conversion_;  // P(conversion | click) per offer
  std::vector<std::uint32_t> offer_entity_;
  double delay_mean_us_;
  CounterRng noise_;
};

}  // namespace marketsim
