// Popularity: exponentially decayed click counts kept in a moving reference frame.
#include "policies/candidates/popularity.h"

#include <cmath>
#include <stdexcept>

namespace marketsim {
namespace {

constexpr double kMaxExponent = 256;  // rescale before weights reach 2^256

}  // namespace

Popularity::Popularity(int k, double half_life_h, const CandidateContext& context)
    : half_life_h_(half_life_h), weight_(context.offers, 0.0), top_(context.offers, k) {
  if (!(half_life_h > 0)) throw std::invalid_argument("popularity: half_life_h must be positive");
}

void Popularity::learn(const Request& request, std::uint32_t offer, int, bool clicked) {
  if (!clicked || offer >= weight_.size()) return;
  double exponent = time_to_hours(request.time - reference_) / half_life_h_;
  if (exponent > kMaxExponent) {
    const double scale = std::exp2(-exponent);
    for (double& w : weight_) w *= scale;
    reference_ = request.time;
    exponent = 0;
  }
  weight_[offer] += std::exp2(exponent);
}

double Popularity::decayed_clicks(std::uint32_t offer, SimTime now) const {
  if (offer >= weight_.size()) return 0;
  return weight_[offer] * std::exp2(-time_to_hours(now - reference_) / half_life_h_);
}

void Popularity::do_generate(const Request& request, const MarketView& market,
                             std::vector<std::uint32_t>& out) {
  top_.clear();
  scan_eligible(request, market, out, [&](const Offer& offer) {
    top_.add(offer.id, offer.id < weight_.size() ? weight_[offer.id] : 0.0, offer.bid);
  });
  top_.append_best(out);
}

void register_popularity(CandidateGeneratorRegistry& registry) {
  registry.add({"popularity",
                "the k most clicked ads, clicks decaying with a half-life; by bid at cold start",
                {k_param(), ParamSpec::real("half_life_h", 24, 1e-6, 1e9,
                                            "half-life of a click's weight", "h")}},
               [](const ParamValues& p, const CandidateContext& context) {
                 return std::make_unique<Popularity>(static_cast<int>(p.get_int("k")),
                                                     p.get_real("half_life_h"), context);
               });
}

}  // namespace marketsim
