// Collaborative: per-segment smoothed CTRs learned from the logged impressions.
#include "policies/candidates/collaborative.h"

#include <stdexcept>

namespace marketsim {

double Collaborative::table_bytes(const CandidateContext& context) {
  return 2.0 * sizeof(std::uint32_t) * static_cast<double>(Segments(context.regions).count()) *
         static_cast<double>(context.offers);
}

Collaborative::Collaborative(const Params& params, const CandidateContext& context)
    : params_(params),
      segments_(context.regions),
      offers_(context.offers),
      clicks_(segments_.count() * context.offers, 0),
      impressions_(segments_.count() * context.offers, 0),
      segment_impressions_(segments_.count(), 0.0),
      all_clicks_(context.offers, 0.0),
      all_impressions_(context.offers, 0.0),
      top_(context.offers, params.k) {
  if (!(params.prior_clicks > 0 && params.prior_non_clicks > 0))
    throw std::invalid_argument("collaborative: priors must be positive");
}

void Collaborative::learn(const Request& request, std::uint32_t offer, int, bool clicked) {
  if (offer >= offers_) return;  // an offer the context did not count: nothing to learn into
  const std::size_t segment = segments_.of(request.features);
  const std::size_t cell = segment * offers_ + offer;
  impressions_[cell] += 1;
  segment_impressions_[segment] += 1;
  all_impressions_[offer] += 1;
  if (!clicked) return;
  clicks_[cell] += 1;
  all_clicks_[offer] += 1;
}

void Collaborative::do_generate(const Request& request, const MarketView& market,
                                std::vector<std::uint32_t>& out) {
  const std::size_t segment = segments_.of(request.features);
  const bool warm = segment_impressions_[segment] >= params_.min_segment_impressions;
  const std::uint32_t* clicks = clicks_.data() + segment * offers_;
  const std::uint32_t* impressions = impressions_.data() + segment * offers_;
  const double a = params_.prior_clicks;
  const double ab = params_.prior_clicks + params_.prior_non_clicks;
  top_.clear();
  scan_eligible(request, market, out, [&](const Offer& offer) {
    double ctr = a / ab;
    if (offer.id < offers_) {
      ctr = warm ? (clicks[offer.id] + a) / (impressions[offer.id] + ab)
                 : (all_clicks_[offer.id] + a) / (all_impressions_[offer.id] + ab);
    }
    const double value = offer.bid_type == BidType::kCpc ? offer.bid : 1.0;
    top_.add(offer.id, ctr * value, offer.bid);
  });
  top_.append_best(out);
}

void register_collaborative(CandidateGeneratorRegistry& registry) {
  registry.add(
      {"collaborative",
       "collaborative filtering: the ads with the best smoothed CTR among similar users (same "
       "device, region, age band, returning) times the CPC bid; all users' CTR for cold segments",
       {k_param(),
        ParamSpec::real("prior_clicks", 1, 1e-6, 1e9, "a: prior pseudo-clicks of the smoothed CTR"),
        ParamSpec::real("prior_non_clicks", 30, 1e-6, 1e9,
                        "b: prior pseudo-non-clicks of the smoothed CTR"),
        ParamSpec::real("min_segment_impressions", 100, 0, 1e12,
                        "impressions a segment needs before its own counts are used")}},
      [](const ParamValues& p, const CandidateContext& context) {
        return std::make_unique<Collaborative>(
            Collaborative::Params{static_cast<int>(p.get_int("k")), p.get_real("prior_clicks"),
                                  p.get_real("prior_non_clicks"),
                                  p.get_real("min_segment_impressions")},
            context);
      },
      [](const ParamValues&, const CandidateContext& context) {
        return Footprint{Collaborative::table_bytes(context)};
      });
}

}  // namespace marketsim
