// Off-policy log records: logged slots, their candidates and each target policy's view of them.
#pragma once

#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <span>
#include <vector>

#include "models/request_features.h"
#include "sim/core/huge_page_allocator.h"
#include "sim/core/sim_time.h"

namespace marketsim {

// One shown slot of a logged request (one request in run.log_every): what was decided, with the
// propensities off-policy evaluation needs, what happened and what the truth expected.
struct ImpressionRecord {
  std::uint64_t transaction;
  SimTime time;
  std::uint32_t partner;
  std::uint32_t user;
  RequestFeatures context;  // as logged (what the platform's logs hold)
  int slot;
  std::uint32_t offer;
  std::int64_t advertiser;  // -1 for a partner's own offer
  int bid_type;
  double score;            // ranking objective value of the impression (model's view)
  double pctr;             // model's predicted click probability (reference slot)
  double price_per_click;  // USD
  std::int64_t runner_up;  // offer id of the runner-up, -1 when none
  double propensity;       // of the whole shown slate
  bool propensity_estimated;
  bool explored;
  double slot_propensity;         // P(this offer in this slot) under the logging policy
  double predicted_click;         // the click model's prediction at this slot
  double predicted_value;         // predicted_click x pCVR x value per conversion (USD)
  double true_click_probability;  // hidden truth, for evaluation only
  double true_value;              // true P(click) x P(conversion in window) x value (USD)
  bool clicked;
  double conversion_value;  // USD: value of a conversion within the attribution window, else 0
};

// A candidate's values at each of a request's shown slots: inline up to 4 slots (the usual page),
// so a log of millions of candidates does not make three heap blocks per candidate.
using SlotValues = boost::container::small_vector<double, 4>;

// One candidate of a logged request with the logging policy's view of it at every slot
// (of the request's shown-slot count k).
struct CandidateRecord {
  std::uint64_t transaction;
  std::uint32_t offer;
  double score;                        // USD per impression
  double pctr;                         // reference slot
  double pcvr;                         // P(conversion | click)
  double value_per_click;              // USD
  double value_per_conversion;         // USD, to whoever the conversion is for
  double true_conversion_probability;  // hidden truth: within the attribution window
  SlotValues slot_probability;         // logging policy: P(candidate shown in slot s)
  SlotValues predicted_click;          // logging click model at slot s
  SlotValues true_click;               // hidden truth: P(click) in slot s
};

// A replication's candidate log, a row per candidate of every logged request: with a frequent
// run.log_every hundreds of MB, so it lives in huge pages where the kernel offers them (see
// HugePageAllocator), which its growth faults in 2 MiB at a time instead of 4 KiB.
using CandidateLog = std::vector<CandidateRecord, HugePageAllocator<CandidateRecord>>;

// One logged request as a target policy sees it: its probabilities of the logged shown offers at
// their slots and, over all candidates and slots, the direct-method and true expected rewards.
struct TargetRecord {
  std::uint64_t transaction;
  std::vector<double> shown_probability;  // per shown slot s: P_target(logged offer in slot s)
  double dm_clicks;    // sum over (candidate, slot) of P_target x predicted click
  double dm_value;     // ... x predicted click x pCVR x value per conversion (USD)
  double true_clicks;  // sum over (candidate, slot) of P_target x true click probability
  double true_value;   // ... x true P(conversion) x value per conversion (USD)
};

// A target's record of one logged request from its slot probabilities `target` (candidates x k,
// k = shown.size()) over the request's logged `candidates`; `shown[s]` is the candidate index
// shown in slot s.
TargetRecord make_target_record(std::uint64_t transaction,
                                std::span<const CandidateRecord> candidates,
                                std::span<const int> shown, std::span<const double> target);

}  // namespace marketsim
