// Collaborative: collaborative filtering, offers that similar users clicked, from the run's logs.
#pragma once

#include <cstdint>
#include <vector>

#include "policies/candidates/candidate_generator.h"
#include "policies/candidates/segments.h"
#include "policies/candidates/top_k.h"

namespace marketsim {

// Stage 1 by what similar users did. Similar users are those of one segment (served device,
// region, age band and returning flag; a missing feature is a bucket of its own, see Segments).
// learn() counts impressions and clicks per (segment, offer) and per offer over all segments. An
// ad's score is its smoothed CTR (clicks + a) / (impressions + a + b) in the request's segment
// times a value-of-a-click proxy: the bid for CPC ads, 1 for the others (their bids are not per
// click, and stage 1 has no conversion model to convert them). A segment with fewer than
// `min_segment_impressions` logged impressions is cold: it uses the counts of all segments
// together (popularity) instead. Ties go to the higher bid, then the lower offer id; the k best
// are kept, plus the partner's eligible first-party offers. Memory: 8 bytes per (segment, offer),
// allocated at construction.
class Collaborative final : public CandidateGenerator {
 public:
  struct Params {
    int k = 20;
    double prior_clicks = 1;       // a
    double prior_non_clicks = 30;  // b
    double min_segment_impressions = 100;
  };

  Collaborative(const Params& params, const CandidateContext& context);

  // Bytes of the (segment, offer) counts for `context`: what the generator's memory grows with.
  static double table_bytes(const CandidateContext& context);

  void learn(const Request& request, std::uint32_t offer, int slot, bool clicked) override;

 private:
  void do_generate(const Request& request, const MarketView& market,
                   std::vector<std::uint32_t>& out) override;

  Params params_;
  Segments segments_;
  std::size_t offers_;
  std::vector<std::uint32_t> clicks_;       // by segment * offers_ + offer
  std::vector<std::uint32_t> impressions_;  // same layout
  std::vector<double> segment_impressions_;
  std::vector<double> all_clicks_;  // by offer, over all segments
  std::vector<double> all_impressions_;
  TopK top_;
};

// Adds "collaborative" to the registry.
void register_collaborative(CandidateGeneratorRegistry& registry);

}  // namespace marketsim
