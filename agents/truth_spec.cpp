#include "agents/ground_truth.h"

namespace marketsim {

std::vector<ParamSpec> TruthSpec::declare() {
  return {
      ParamSpec::real("click_intercept", -3.0, -20, 20, "logit intercept of the click model"),
      ParamSpec::real_list("device_effect", {0.0, 0.15, -0.3}, kDeviceCount, -10, 10,
                           "click logit effect of android, ios, desktop"),
      ParamSpec::real_list("age_effect", {0.2, 0.1, -0.1, -0.3}, kAgeBandCount, -10, 10,
                           "click logit effect of each age band"),
      ParamSpec::real("returning_effect", 0.2, -10, 10, "click logit effect of returning users"),
      ParamSpec::real("region_effect_sd", 0.2, 0, 5, "sd of the regions' click logit effects"),
      ParamSpec::real("category_effect_sd", 0.3, 0, 5,
                      "sd of the offer categories' click logit effects"),
      ParamSpec::real("offer_effect_sd", 0.8, 0, 5, "sd of the offers' click logit effects"),
      ParamSpec::real(
          "creative_effect_sd", 0.3, 0, 5,
          "sd of the click logit effects of each layout, each message and each creative variant"),
      ParamSpec::real("offer_device_cross_sd", 0.4, 0, 5,
                      "sd of the offer x device click logit crosses"),
      ParamSpec::real("category_vertical_cross_sd", 0.4, 0, 5,
                      "sd of the category x partner vertical click logit crosses"),
      ParamSpec::real("affinity_weight", 0.8, -10, 10,
                      "logit weight of the latent user-offer affinity (cosine-like score)"),
      ParamSpec::real("first_party_effect", 0.3, -10, 10,
                      "click logit effect of the partner's own offers"),
      ParamSpec::real_list("position_bias", {1.0, 0.65, 0.45, 0.35, 0.3, 0.25, 0.2, 0.15}, 0, 0, 1,
                           "probability that a user examines each slot (at least one per slot)"),
      ParamSpec::real("quality_mean", 0.5, -10, 10, "logit mean of the offers' quality"),
      ParamSpec::real("quality_sd", 1.0, 0, 5, "logit sd of the offers' quality"),
      ParamSpec::real("quality_click_correlation", 0.3, -1, 1,
                      "correlation of an offer's quality with its click effect"),
      ParamSpec::integer("clickbait_offers", 0, 0, 1e6,
                         "the first N offers are clickbait: attractive but of low quality"),
      ParamSpec::real("clickbait_click_boost", 1.5, 0, 10,
                      "click logit boost of a clickbait offer"),
      ParamSpec::real("clickbait_quality", 0.05, 0, 1, "quality of a clickbait offer"),
      ParamSpec::real("reversal_strength", 0.0, 0, 5,
                      "offer 0 beats offer 1 by this logit margin except on Android, where it "
                      "loses by half of it (0: off)"),
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

TruthSpec TruthSpec::from(const ParamValues& v) {
  TruthSpec s;
  s.click_intercept = v.get_real("click_intercept");
  s.device_effect = v.get_real_list("device_effect");
  s.age_effect = v.get_real_list("age_effect");
  s.returning_effect = v.get_real("returning_effect");
  s.region_effect_sd = v.get_real("region_effect_sd");
  s.category_effect_sd = v.get_real("category_effect_sd");
  s.offer_effect_sd = v.get_real("offer_effect_sd");
  s.creative_effect_sd = v.get_real("creative_effect_sd");
  s.offer_device_cross_sd = v.get_real("offer_device_cross_sd");
  s.category_vertical_cross_sd = v.get_real("category_vertical_cross_sd");
  s.affinity_weight = v.get_real("affinity_weight");
  s.first_party_effect = v.get_real("first_party_effect");
  s.position_bias = v.get_real_list("position_bias");
  s.quality_mean = v.get_real("quality_mean");
  s.quality_sd = v.get_real("quality_sd");
  s.quality_click_correlation = v.get_real("quality_click_correlation");
  s.clickbait_offers = v.get_int("clickbait_offers");
  s.clickbait_click_boost = v.get_real("clickbait_click_boost");
  s.clickbait_quality = v.get_real("clickbait_quality");
  s.reversal_strength = v.get_real("reversal_strength");
  s.conversion_intercept = v.get_real("conversion_intercept");
  s.conversion_effect_sd = v.get_real("conversion_effect_sd");
  s.click_conversion_correlation = v.get_real("click_conversion_correlation");
  s.conversion_delay_mean_h = v.get_real("conversion_delay_mean_h");
  return s;
}

}  // namespace marketsim
