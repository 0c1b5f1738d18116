// World: one replication of one cell — agents, policies, the event loop and its recorder.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <variant>
#include <vector>

#include "agents/arrival_process.h"
#include "agents/ground_truth.h"
#include "agents/user_population.h"
#include "models/ctr_predictor.h"
#include "policies/auction/auction.h"
#include "policies/candidates/candidate_generator.h"
#include "policies/exploration/explorer.h"
#include "sim/core/event_queue.h"
#include "sim/world/recorder.h"
#include "sim/world/world_spec.h"

namespace marketsim {

// A partner's next transaction arrives.
struct ArrivalEvent {
  std::uint32_t partner;
};

// A click converts (scheduled at click time plus the conversion delay).
struct ConversionEvent {
  std::uint32_t offer;
};

// Midnight: daily budgets reset.
struct DayStartEvent {};

using WorldEvent = std::variant<ArrivalEvent, ConversionEvent, DayStartEvent>;

// The result of running a World.
struct ReplicationOutcome {
  bool completed = false;    // false when stopped early
  std::uint64_t events = 0;  // events dispatched
};

// One replication of one cell. Owns its clock, queue, streams, agents, policies and recorder, so
// any number of Worlds run concurrently. The initial world (users, partners, advertisers, truth)
// depends only on (seed, replication), never on the cell, so all cells share it; arrivals and
// outcome noise are keyed by transaction, so all cells see the same traffic and noise.
class World {
 public:
  World(const WorldSpec& spec, ReplicationKey key);

  // Runs until the horizon, or until `*stop` becomes true (checked every few thousand events).
  ReplicationOutcome run(const std::atomic<bool>* stop = nullptr);

  const Recorder& recorder() const { return recorder_; }

 private:
  void on(SimTime now, const ArrivalEvent& e);
  void on(SimTime now, const ConversionEvent& e);
  void on(SimTime now, const DayStartEvent& e);
  void serve(SimTime now, const Partner& partner, std::uint64_t arrival_index);

  WorldSpec spec_;
  ReplicationKey key_;
  SimTime horizon_;
  UserPopulation users_;
  std::vector<Partner> partners_;
  AdvertiserMarket market_;
  GroundTruth truth_;
  std::vector<ThinnedPoissonProcess> arrivals_;
  std::vector<std::uint64_t> arrival_count_;
  std::vector<double> budget_remaining_;
  CounterRng user_pick_;

  std::unique_ptr<CandidateGenerator> candidates_;
  std::unique_ptr<CtrPredictor> ranker_;
  std::unique_ptr<Explorer> explorer_;
  std::unique_ptr<Auction> auction_;

  EventQueue<WorldEvent> queue_;
  Recorder recorder_;

  // Buffers reused by every request.
  std::vector<std::uint32_t> candidate_ids_;
  std::vector<double> pctr_;
  std::vector<double> bids_;
  std::vector<double> scores_;
  Slate slate_;
  AuctionResult auction_result_;
};

}  // namespace marketsim
