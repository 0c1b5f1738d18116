#include "agents/ground_truth.h"

#include <boost/random/normal_distribution.hpp>
#include <cmath>

namespace marketsim {
namespace {

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

std::vector<ParamSpec> TruthSpec::declare() {
  return {
      ParamSpec::real("click_intercept", -3.0, -20, 20, "logit intercept of the click model"),
      ParamSpec::real_list("device_effect", {0.0, 0.15, -0.3}, kDeviceCount, -10, 10,
                           "click logit effect of android, ios, desktop"),
      ParamSpec::real_list("age_effect", {0.2, 0.1, -0.1, -0.3}, kAgeBandCount, -10, 10,
                           "click logit effect of each age band"),
      ParamSpec::real("returning_effect", 0.2, -10, 10, "click logit effect of returning users"),
      ParamSpec::real("region_effect_sd", 0.2, 0, 5, "sd of the regions' click logit effects"),
      ParamSpec::real("offer_effect_sd", 0.8, 0, 5, "sd of the offers' click logit effects"),
      ParamSpec::real("offer_device_cross_sd", 0.4, 0, 5,
                      "sd of the offer x device click logit crosses"),
      ParamSpec::real_list("position_bias", {1.0, 0.65, 0.45, 0.35, 0.3, 0.25, 0.2, 0.15}, 0, 0, 1,
                           "probability that a user examines each slot (at least one per slot)"),
      ParamSpec::real("conversion_intercept", -2.0, -20, 20,
                      "logit intercept of P(conversion | click)"),
      ParamSpec::real("conversion_effect_sd", 0.6, 0, 5,
                      "sd of the offers' conversion logit effects"),
      ParamSpec::real("click_conversion_correlation", 0.5, -1, 1,
                      "correlation of an offer's conversion effect with its click effect"),
      ParamSpec::real("conversion_delay_mean_h", 6, 0, 1e4,
                      "mean of the exponential delay from click to conversion", "h"),
  };
}

TruthSpec TruthSpec::from(const ParamValues& values) {
  TruthSpec spec;
  spec.click_intercept = values.get_real("click_intercept");
  spec.device_effect = values.get_real_list("device_effect");
  spec.age_effect = values.get_real_list("age_effect");
  spec.returning_effect = values.get_real("returning_effect");
  spec.region_effect_sd = values.get_real("region_effect_sd");
  spec.offer_effect_sd = values.get_real("offer_effect_sd");
  spec.offer_device_cross_sd = values.get_real("offer_device_cross_sd");
  spec.position_bias = values.get_real_list("position_bias");
  spec.conversion_intercept = values.get_real("conversion_intercept");
  spec.conversion_effect_sd = values.get_real("conversion_effect_sd");
  spec.click_conversion_correlation = values.get_real("click_conversion_correlation");
  spec.conversion_delay_mean_h = values.get_real("conversion_delay_mean_h");
  return spec;
}

GroundTruth::GroundTruth(const TruthSpec& spec, const std::vector<Offer>& offers, int region_count,
                         ReplicationKey key)
    : region_count_(region_count),
      position_bias_(spec.position_bias),
      delay_mean_us_(spec.conversion_delay_mean_h * static_cast<double>(kMicrosPerHour)),
      noise_(key, "truth.outcome") {
  boost::random::normal_distribution<double> standard_normal;
  std::vector<double> region_effect(region_count);
  for (int r = 0; r < region_count; ++r) {
    RngStream rng(key, "truth.region", static_cast<std::uint32_t>(r));
    region_effect[r] = spec.region_effect_sd * standard_normal(rng);
  }
  const double rho = spec.click_conversion_correlation;
  base_click_.resize(offers.size() * kDeviceCount * region_count * 2 * kAgeBandCount);
  for (const Offer& offer : offers) {
    RngStream rng(key, "truth.offer", offer.entity);
    const double z_click = standard_normal(rng);
    const double z_conversion = rho * z_click + std::sqrt(1 - rho * rho) * standard_normal(rng);
    conversion_.push_back(
        sigmoid(spec.conversion_intercept + spec.conversion_effect_sd * z_conversion));
    offer_entity_.push_back(offer.entity);
    for (int d = 0; d < kDeviceCount; ++d) {
      const double cross = spec.offer_device_cross_sd * standard_normal(rng);
      for (int r = 0; r < region_count; ++r)
        for (int a = 0; a < kAgeBandCount; ++a)
          for (int ret = 0; ret < 2; ++ret) {
            const double logit = spec.click_intercept + spec.device_effect[d] + spec.age_effect[a] +
                                 (ret ? spec.returning_effect : 0.0) + region_effect[r] +
                                 spec.offer_effect_sd * z_click + cross;
            const UserAttributes kind{static_cast<std::uint8_t>(d), static_cast<std::uint8_t>(r),
                                      static_cast<std::uint8_t>(a), ret == 1};
            base_click_[index(kind, offer.id)] = sigmoid(logit);
          }
    }
  }
}

Outcome GroundTruth::outcome(std::uint64_t transaction, const UserAttributes& user,
                             std::uint32_t offer, int slot) const {
  const auto u = noise_.block(offer_entity_[offer], transaction);
  Outcome out{click_probability(user, offer, slot), false, false, 0};
  out.clicked = to_unit_open(u[0]) < out.click_probability;
  if (out.clicked && to_unit_open(u[1]) < conversion_[offer]) {
    out.converted = true;
    out.conversion_delay =
        static_cast<SimTime>(std::llround(-std::log(to_unit_open(u[2])) * delay_mean_us_));
  }
  return out;
}

}  // namespace marketsim
