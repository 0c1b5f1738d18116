// World: one replication of one cell — agents, policies, the event loop and its recorder.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>
#include <variant>
#include <vector>

#include "agents/arrival_process.h"
#include "agents/ground_truth.h"
#include "agents/user_population.h"
#include "sim/core/event_queue.h"
#include "sim/world/advertiser_ledger.h"
#include "sim/world/experiment_tracker.h"
#include "sim/world/feature_skew.h"
#include "sim/world/latency_recorder.h"
#include "sim/world/model_monitor.h"
#include "sim/world/model_recorder.h"
#include "sim/world/off_policy_log.h"
#include "sim/world/recommender.h"
#include "sim/world/recorder.h"
#include "sim/world/traffic_mix.h"
#include "sim/world/world_base.h"
#include "sim/world/world_spec.h"
#include "sim/world/world_truth_view.h"

namespace marketsim {

// A partner's next organic transaction arrives.
struct ArrivalEvent {
  std::uint32_t partner;
};

// A user comes back for another transaction (stale when the user's visit count moved on).
struct ReturnEvent {
  std::uint32_t user;
  std::uint32_t visit;
  std::uint32_t partner;
};

// A click converts (at click time plus the conversion delay). `record` indexes what the
// conversion carries besides (see World::PendingConversion), kept off the event so that the event
// queue's entries stay small.
struct ConversionEvent {
  std::uint32_t offer;
  std::uint32_t partner;
  std::uint32_t record;
};

// No offer: what the oracle returns when nothing is eligible.
inline constexpr std::uint32_t kNoOffer = 0xFFFFFFFFu;

// The end of a recording window: experiments take their snapshot.
struct SnapshotEvent {};

// Midnight: daily budgets reset.
struct DayStartEvent {};

// Pacers and bidders re-plan.
struct PacingEvent {};

// The drift schedule's `index`-th change time.
struct DriftEvent {
  std::uint32_t index;
};

using WorldEvent = std::variant<ArrivalEvent, ReturnEvent, ConversionEvent, DayStartEvent,
                                PacingEvent, DriftEvent, SnapshotEvent>;

// Units of a world's progress counter (World::run): a world that reaches its horizon has added
// kProgressPerWorld in all.
inline constexpr std::uint64_t kProgressPerWorld = std::uint64_t{1} << 20;

// The result of running a World.
struct ReplicationOutcome {
  bool completed = false;    // false when stopped early
  std::uint64_t events = 0;  // events dispatched
};

// The two highest money-per-click bids among a request's scored advertiser offers (0 where fewer).
struct TopBids {
  double top = 0;
  double second = 0;
};

// An applied drift change: at `time`, target `target` (index into the schedule's targets) took
// offset `offset`.
struct DriftRecord {
  SimTime time;
  std::size_t target;
  double offset;
};

// One replication of one cell. Owns its clock, queue, streams, agents, policies and recorder, so
// any number of Worlds run concurrently. The initial world (users, partners, advertisers, truth)
// depends only on (seed, replication), never on the cell, so all cells share it. Organic arrivals,
// carts, user picks and outcome noise are keyed by transaction, so all cells see the same organic
// traffic and the same noise; return visits depend on satisfaction, i.e. on the policy.
class World {
 public:
  // Over `base` (the replication's shared users, partners and catalog, built from the same spec
  // and key), or a base of its own when null.
  World(const WorldSpec& spec, ReplicationKey key, std::shared_ptr<const WorldBase> base = nullptr);

  // Runs until the horizon, or until `*stop` becomes true (checked every few thousand events).
  // `progress`, when given, is raised (relaxed) every few thousand events by the simulated time
  // done in units of kProgressPerWorld / horizon, and lowered back by all it was raised before
  // run returns: a progress display sums it over the running worlds.
  ReplicationOutcome run(const std::atomic<bool>* stop = nullptr,
                         std::atomic<std::uint64_t>* progress = nullptr);

  const Recorder& recorder() const { return recorder_; }
  const AdvertiserLedger& ledger() const { return ledger_; }
  const std::vector<DriftRecord>& drift_log() const { return drift_log_; }
  const AdvertiserMarket& market() const { return market_; }
  const UserPopulation& users() const { return users_; }
  const GroundTruth& truth() const { return truth_; }
  const LatencyRecorder& latency() const { return latency_; }
  const std::vector<ImpressionRecord>& impression_log() const { return impression_log_; }
  const CandidateLog& candidate_log() const { return candidate_log_; }
  // Per off-policy target (WorldSpec::ope_targets), its view of every logged request.
  const std::vector<std::vector<TargetRecord>>& target_log() const { return target_log_; }
  // Hands the three logs above over to the caller, leaving them empty: a finished world's logs
  // are moved into its results rather than copied.
  std::vector<ImpressionRecord> take_impression_log() { return std::move(impression_log_); }
  CandidateLog take_candidate_log() { return std::move(candidate_log_); }
  std::vector<std::vector<TargetRecord>> take_target_log() { return std::move(target_log_); }
  // The models' prediction figures and monitor windows (empty under evaluation.models = false).
  const ModelRecorder& model_recorder() const { return model_recorder_; }
  const ModelMonitor& model_monitor() const { return model_monitor_; }
  // Labels scheduled to reach the models later (each matures before the horizon).
  std::size_t pending_labels() const { return labels_.size(); }
  // The A/B experiments splitting this world's traffic, with their snapshots (one per window).
  const std::vector<ExperimentTracker>& experiments() const { return experiments_; }
  // The stage of a model role of the cell's own recommender (the one that serves traffic outside
  // every experiment).
  const ModelStage& stage(ModelRole role) const { return recommenders_.front()->stage(role); }

 private:
  void on(SimTime now, const ArrivalEvent& e);
  void on(SimTime now, const ReturnEvent& e);
  void on(SimTime now, const ConversionEvent& e);
  void on(SimTime now, const DayStartEvent& e);
  void on(SimTime now, const PacingEvent& e);
  void on(SimTime now, const DriftEvent& e);
  void on(SimTime now, const SnapshotEvent& e);

  // The recommender serving a transaction: assigns it to an arm of every experiment (filling
  // unit_refs_) and picks the recommender of that combination of arms.
  Recommender& assign(SimTime now, const Partner& partner, std::uint32_t user,
                      std::uint64_t transaction);
  // Adds `amount` of `metric` to the current transaction's unit in every experiment.
  void tally(UnitMetric metric, double amount);
  // For a logged request, before the explorer chooses: the logging policy's slot probabilities
  // (logging_probability_) and click predictions at every slot, logged with each candidate.
  void log_candidates(const Recommender& rec, const ExplorationInput& input,
                      const RequestFeatures& features, const TruthContext& ctx,
                      std::uint64_t transaction, int slots);
  // For a logged request, once the slate is shown: each off-policy target's slot probabilities
  // over the same candidates, its direct-method and true values, logged per target.
  void log_targets(const RequestFeatures& features, std::uint64_t transaction, int slots);
  // Every off-policy target's predictions of the shown offers at their slots (target_raw_,
  // target_served_), before the request's outcomes are learned.
  void evaluate_targets_shown(const RequestFeatures& features);
  // The expected value of a conversion of `offer` to whoever it converts for (USD).
  double conversion_value(std::uint32_t offer) const;
  // True P(conversion within the attribution window of the click | click) of `offer`.
  double attributed_conversion_probability(std::uint32_t offer) const {
    return truth_.conversion_probability(offer) * attributed_delay_share_;
  }

  // Serves one transaction of `user` at `partner` and schedules the user's next return visit.
  void serve(SimTime now, const Partner& partner, std::uint32_t user, std::uint64_t transaction);
  void schedule_return(SimTime now, std::uint32_t user);
  std::uint32_t record_oracle(SimTime now, const RequestFeatures& features, const Partner& partner);
  // Scores the candidates (stage 2): predictions, pacing and bid multipliers, the reserve cut
  // (money per click below `reserve`) and the ranking objective; drops candidates that sit the
  // request out. Returns the two highest money-per-click bids of the advertisers' offers kept
  // (what the reserve policy observes).
  TopBids score_candidates(Recommender& rec, const Request& request, double reserve,
                           RngStream& policy_rng);
  void update_pacing(SimTime now);
  // Draws the shown offers' outcomes and the model roles' predictions of them at their slots:
  // the click model on every shown offer, the conditional roles on the clicked ones.
  void evaluate_shown(Recommender& rec, const RequestFeatures& features, std::uint64_t transaction,
                      const TruthContext& ctx);
  // Feeds the model recorder and monitor with the served click prediction of the offer shown in
  // `slot` and, when it was clicked, the served conversion prediction (for a monitored
  // recommender: evaluation.models).
  void evaluate_models(SimTime now, const RequestFeatures& features, std::uint32_t offer, int slot,
                       const Outcome& outcome);
  // Schedules the labels of one shown impression (`example` without labels yet) for `rec`.
  void log_labels(Recommender& rec, SimTime now, const Example& example, const Outcome& outcome,
                  std::uint32_t user, const std::array<float, kModelRoleCount>& raw,
                  const std::array<float, kModelRoleCount>& served);
  // The raw features of `offer` shown in `slot` for a request with `features`.
  RawFeatures raw_features(const RequestFeatures& features, std::uint32_t offer, int slot) const;
  // Delivers `label` now when it matures by `now`, else queues it until `when`.
  void deliver_at(SimTime now, SimTime when, const PendingLabel& label);
  void deliver(SimTime when, PendingLabel label);
  // The recommender or off-policy target a label is for.
  Recommender& recipient(std::uint32_t index) {
    return index < recommenders_.size() ? *recommenders_[index]
                                        : *ope_targets_[index - recommenders_.size()];
  }
  // Hands every label matured by `now` to the stages, then lets them retrain and recalibrate.
  void deliver_labels(SimTime now);

  WorldSpec spec_;
  ReplicationKey key_;
  SimTime horizon_;
  std::shared_ptr<const WorldBase> base_;
  UserPopulation users_;
  const std::vector<Partner>& partners_;
  const AdvertiserMarket& market_;
  GroundTruth truth_;
  WorldTruthView truth_view_;  // the truth as the oracle bookkeeping and the oracle model see it
  double attributed_delay_share_;  // P(a conversion's delay is within run.attribution_window_h)
  // Per partner, the offers it may show (its own first-party offers and the ads of the categories
  // it allows): what the oracle chooses among.
  std::vector<std::vector<std::uint32_t>> partner_offers_;
  TrafficMix mix_;
  FeatureSkew skew_;
  std::vector<ThinnedPoissonProcess> arrivals_;
  std::vector<std::uint64_t> arrival_count_;
  // Per partner, the user of its next arrival, picked when the current one is served (to warm
  // that user's cache line) under the traffic mix of version `mix_version`; picked again when
  // drift has changed the mix since.
  struct NextUser {
    std::uint32_t user = 0;
    std::uint64_t mix_version = 0;  // 0: none picked yet (TrafficMix versions start at 1)
  };
  std::vector<NextUser> next_users_;
  std::vector<double> partner_cumulative_rate_;  // for the partner of a return visit
  std::vector<SimTime> drift_times_;
  std::vector<DriftRecord> drift_log_;
  AdvertiserLedger ledger_;
  CounterRng traffic_rng_;
  CounterRng return_rng_;
  RngStream explorer_streams_;  // ("policy.explorer"): each request draws from its own sub-stream

  const std::vector<OfferFeatures>& offer_features_;        // the catalog as models see it
  std::vector<std::unique_ptr<Recommender>> recommenders_;  // [0]: the cell's own
  EventQueue<PendingLabel> labels_;           // of every recommender and off-policy target
  std::vector<ModelStage*> distinct_stages_;  // each stage in use once, in build order
  std::vector<Pacer*> distinct_pacers_;
  std::vector<Bidder*> distinct_bidders_;
  std::vector<ExperimentTracker> experiments_;
  std::vector<UnitRef> unit_refs_;  // the current transaction's, one per experiment
  // What a scheduled conversion carries: the CPA price owed (USD). Its experiments' unit
  // references are attributions_[record * experiments .. + experiments]. Records are reused
  // once their conversion happened (last freed, first reused).
  std::vector<double> conversion_prices_;
  std::vector<UnitRef> attributions_;
  std::vector<std::uint32_t> free_records_;
  LatencyRecorder latency_;
  std::vector<ImpressionRecord> impression_log_;
  CandidateLog candidate_log_;
  std::vector<std::unique_ptr<Recommender>> ope_targets_;
  std::vector<std::vector<TargetRecord>> target_log_;
  std::vector<double> logging_probability_;  // candidates x slots of the logged request
  std::vector<double> logging_click_;        // the logging click model at each (candidate, slot)
  std::vector<double> target_probability_;   // a target's candidates x slots
  std::vector<std::uint32_t> pair_offers_;   // (candidate, slot) pairs, candidate-major
  std::vector<int> pair_slots_;
  std::vector<double> pair_raw_;
  std::vector<double> target_pctr_, target_pcvr_, target_return_, target_value_, target_scores_;
  // Each off-policy target's raw and served predictions of the shown offers at their slots, per
  // model role: what its stages learn the labels of this request against.
  std::vector<std::array<std::vector<double>, kModelRoleCount>> target_raw_, target_served_;
  std::uint64_t requests_ = 0;

  EventQueue<WorldEvent> queue_;
  Recorder recorder_;
  ModelRecorder model_recorder_;
  ModelMonitor model_monitor_;

  // Buffers reused by every request.
  std::vector<float> latent_;
  std::vector<std::uint32_t> candidate_ids_;
  std::vector<double> pctr_;
  std::vector<double> pcvr_;
  std::vector<double> preturn_;
  std::vector<double> money_per_click_;
  std::vector<double> multipliers_;  // pacing x bidding multiplier of each kept candidate
  std::vector<double> value_per_click_;
  std::vector<double> scores_;
  std::vector<double> oracle_clicks_, oracle_conversions_;
  std::vector<double> true_values_;
  std::vector<double> unconstrained_values_;
  std::vector<double> sorted_bias_;
  std::vector<Outcome> outcomes_;            // the slate's outcomes, slot by slot
  std::vector<std::uint32_t> shown_offers_;  // the slate, slot by slot
  std::vector<int> shown_slots_;
  std::vector<std::uint32_t> clicked_offers_;
  std::vector<int> clicked_slots_;
  std::vector<double> clicked_raw_, clicked_served_;
  std::array<std::vector<double>, kModelRoleCount> shown_raw_;  // each role's view of them
  std::array<std::vector<double>, kModelRoleCount> shown_served_;
  Slate slate_;
  AuctionResult auction_result_;
};

}  // namespace marketsim
