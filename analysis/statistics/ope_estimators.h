// Off-policy evaluation of a slate policy from logged requests under the item-position model:
// direct method, IPS, per-slot self-normalized IPS and doubly robust, with standard errors.
#pragma once

#include <array>
#include <string_view>
#include <vector>

#include "analysis/statistics/moment_sums.h"

namespace marketsim {

// One estimate of the target policy's value, the expected total reward per request (e.g. clicks
// per request), and its standard error, both in reward units per request.
struct OpeEstimate {
  std::string_view name;  // "dm", "ips", "snips" or "dr"
  double value = 0;
  double se = 0;
};

// Importance-weight diagnostics of one slot over the requests that showed it.
struct OpeSlotDiagnostics {
  int slot = 0;
  double requests = 0;               // logged requests that showed this slot
  double mean_weight = 0;            // sum w / requests; ~1 when the target's support is covered
  double max_weight = 0;             // largest weight
  double effective_sample_size = 0;  // (sum w)^2 / sum w^2, 0 when every weight is 0
};

// Everything OpeAccumulator::result reports. The estimates come in the order dm, ips, snips, dr,
// so a caller can write them as columns; a value is NaN without requests (and snips when a shown
// slot has only zero weights), an se is NaN with fewer than 2 requests.
struct OpeResult {
  double requests = 0;                    // N, logged requests
  std::array<OpeEstimate, 4> estimates;   // dm, ips, snips, dr
  std::vector<OpeSlotDiagnostics> slots;  // every slot shown at least once, by slot index
  double max_weight = 0;                  // over all shown (request, slot) pairs; 0 if none
  double effective_sample_size = 0;       // (sum w)^2 / sum w^2 over the same pairs; 0 if none

  // The estimate called `name`; throws std::out_of_range naming the valid names otherwise.
  const OpeEstimate& estimate(std::string_view name) const;
};

// Accumulates logged requests and estimates the value of a target slate policy under the
// item-position model: the reward of a slot depends only on (context, item shown there, slot), so
// a slot's importance weight needs only the policies' marginal probabilities of that item in that
// slot, w = pi_target(a | x, s) / pi_logging(a | x, s). Per request i with shown slots s:
//   dm_i  = sum_s sum_a pi_target(a | x_i, s) q(a, s), precomputed by the caller from a reward
//           model q (the model's value of the target policy on this context);
//   ips_i = sum_s w_is r_is;
//   dr_i  = dm_i + sum_s w_is (r_is - q_is), with q_is the model's prediction for the logged item.
// Estimates (N requests, N_s of them showing slot s):
//   dm    = mean dm_i, se = sd(dm_i) / sqrt(N): sampling noise of the contexts only; it ignores the
//           reward model's error, which biases dm and no se can reveal;
//   ips   = mean ips_i, se = sd(ips_i) / sqrt(N); unbiased when pi_logging > 0 wherever
//           pi_target > 0 and the weights are exact;
//   snips = sum_s (N_s / N) sum_i w_is r_is / sum_i w_is, each slot's rewards self-normalized by
//           its weights (biased O(1/N), usually less variable than ips); se from its influence
//           function (derivation in ope_estimators.cpp);
//   dr    = mean dr_i, se = sd(dr_i) / sqrt(N); unbiased like ips whatever the reward model, with
//           less variance the better the model.
// sd is the sample standard deviation (n - 1). Memory is O(S^2) for S slot indices (the snips
// variance keeps the cross products of per-slot sums), independent of N. Copyable; not
// thread-safe.
//   OpeAccumulator ope;
//   ope.begin_request(0.31);          // dm of the first request
//   ope.add_slot(0, 2.0, 1.0, 0.2);   // slot 0: weight 2, clicked, model predicted 0.2
//   ope.add_slot(1, 0.5, 0.0, 0.1);
//   OpeResult r = ope.result();       // r.estimate("dr").value == 0.31 + 2 * 0.8 - 0.5 * 0.1
class OpeAccumulator {
 public:
  // Largest slot index + 1 accepted by add_slot.
  static constexpr int kMaxSlots = 256;

  // Ends the previous request, if any, and starts one whose direct-method value is `dm` (reward
  // units, finite; std::invalid_argument otherwise). A request may show no slots.
  void begin_request(double dm);

  // Adds a shown slot to the current request: its index (0 <= slot < kMaxSlots, once per request),
  // importance weight (finite, >= 0), observed reward and the reward model's prediction for the
  // logged item (both finite). Throws std::logic_error before the first begin_request and
  // std::invalid_argument on bad input.
  void add_slot(int slot, double weight, double reward, double predicted);

  // The estimates and diagnostics over every request so far (the current one included). O(S^2).
  OpeResult result() const;

  // Requests begun so far.
  double requests() const { return dm_.n + (open_ ? 1.0 : 0.0); }

 private:
  struct ShownSlot {
    int slot;
    double weighted_reward;  // w r
    double weight;           // w
  };
  // Per-request features of a slot, used by the snips influence function.
  static constexpr int kFeatures = 3;  // w r, w, 1 (shown)

  void close_request();
  void ensure_slot(int slot);
  OpeResult summarize() const;
  double snips_value_and_variance(double& variance) const;

  MomentSums dm_, ips_, dr_;           // per-request dm_i, ips_i, dr_i of closed requests
  int slot_count_ = 0;                 // S: slot indices with storage
  std::vector<double> feature_sum_;    // S * kFeatures sums over requests
  std::vector<double> feature_cross_;  // (S * kFeatures)^2 sums of products, row-major
  std::vector<double> weight_sq_sum_;  // per slot: sum w^2
  std::vector<double> weight_max_;     // per slot: max w

  bool open_ = false;
  double current_dm_ = 0;
  double current_ips_ = 0;
  double current_correction_ = 0;  // sum_s w (r - q)
  std::vector<ShownSlot> current_;
};

}  // namespace marketsim
