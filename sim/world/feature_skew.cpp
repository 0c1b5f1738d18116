#include "sim/world/feature_skew.h"

#include "agents/user_population.h"

namespace marketsim {
namespace {

// Applies "missing with probability m, else stale with probability s" to a categorical value,
// using the uniform u in (0, 1) and the word `pick` for the stale value among `levels` others.
std::uint8_t corrupt(std::uint8_t value, double m, double s, double u, std::uint32_t pick,
                     int levels) {
  if (u < m) return kMissingFeature;
  if (u < m + s && levels > 1)
    return static_cast<std::uint8_t>((value + 1 + pick % (levels - 1)) % levels);
  return value;
}

}  // namespace

std::vector<ParamSpec> SkewSpec::declare() {
  auto p = [](const char* name, const char* what) {
    return ParamSpec::real(name, 0.0, 0, 1, what);
  };
  return {
      ParamSpec::real("start_h", 0, 0, 1e6, "the skew applies to requests from this time on", "h"),
      p("device_missing", "probability that the device is missing at serving"),
      p("device_stale", "probability that the device is stale (another one) at serving"),
      p("region_missing", "probability that the region is missing at serving"),
      p("region_stale", "probability that the region is stale at serving"),
      p("age_band_missing", "probability that the age band is missing at serving"),
      p("age_band_stale", "probability that the age band is stale at serving"),
      p("returning_stale", "probability that a returning user is served as new"),
      p("cart_category_missing", "probability that the cart category is missing at serving"),
  };
}

SkewSpec SkewSpec::from(const ParamValues& v) {
  SkewSpec s;
  s.start_h = v.get_real("start_h");
  s.device_missing = v.get_real("device_missing");
  s.device_stale = v.get_real("device_stale");
  s.region_missing = v.get_real("region_missing");
  s.region_stale = v.get_real("region_stale");
  s.age_band_missing = v.get_real("age_band_missing");
  s.age_band_stale = v.get_real("age_band_stale");
  s.returning_stale = v.get_real("returning_stale");
  s.cart_category_missing = v.get_real("cart_category_missing");
  for (const char* f : {"device", "region", "age_band"})
    if (v.get_real(std::string(f) + "_missing") + v.get_real(std::string(f) + "_stale") > 1)
      v.fail(std::string(f) + "_stale", "missing + stale probabilities exceed 1");
  return s;
}

FeatureSkew::FeatureSkew(const SkewSpec& spec, int regions, ReplicationKey key)
    : spec_(spec),
      regions_(regions),
      inactive_(spec.device_missing + spec.device_stale + spec.region_missing + spec.region_stale +
                    spec.age_band_missing + spec.age_band_stale + spec.returning_stale +
                    spec.cart_category_missing ==
                0),
      start_(hours_to_time(spec.start_h)),
      rng_(key, "skew") {}

RequestFeatures FeatureSkew::serving_view(const RequestFeatures& truth, std::uint64_t transaction,
                                          SimTime time) const {
  if (inactive_ || time < start_) return truth;
  RequestFeatures served = truth;
  const auto a = rng_.block(0, transaction);
  const auto b = rng_.block(1, transaction);
  served.device = corrupt(truth.device, spec_.device_missing, spec_.device_stale,
                          to_unit_open(a[0]), b[0], kDeviceCount);
  served.region = corrupt(truth.region, spec_.region_missing, spec_.region_stale,
                          to_unit_open(a[1]), b[1], regions_);
  served.age_band = corrupt(truth.age_band, spec_.age_band_missing, spec_.age_band_stale,
                            to_unit_open(a[2]), b[2], kAgeBandCount);
  if (truth.returning && to_unit_open(a[3]) < spec_.returning_stale) served.returning = false;
  if (to_unit_open(b[3]) < spec_.cart_category_missing) served.cart_category = kMissingCategory;
  return served;
}

}  // namespace marketsim
