// Pacer: spreads each advertiser's daily budget over the day.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "sim/core/registry.h"
#include "sim/core/rng.h"
#include "sim/core/sim_time.h"

namespace marketsim {

// What a pacer sees at an update: the time, when the current day started and ends, and per
// advertiser its daily budget and what it has spent since the day started (USD).
struct PacingView {
  SimTime now = 0;
  SimTime day_start = 0;
  SimTime day_length = kMicrosPerDay;
  std::span<const double> daily_budget;
  std::span<const double> spent_today;
};

// Decides, per advertiser, how strongly it takes part in auctions: a bid multiplier (0 removes the
// advertiser from the request). The world calls update() at the start of every day and every
// pacing interval, and participation() for each candidate advertiser of each request. The base
// class holds implementations to the contract: a multiplier is finite and non-negative.
class Pacer {
 public:
  virtual ~Pacer() = default;

  // Re-plans from the spend so far.
  void update(const PacingView& view) { do_update(view); }

  // The bid multiplier of `advertiser` for one request; `rng` is the request's policy stream (for
  // randomized throttling). 0 means the advertiser sits this request out.
  double participation(std::uint32_t advertiser, RngStream& rng);

  // True when participation() is always 1 and draws nothing, so callers may skip asking.
  virtual bool neutral() const { return false; }

 private:
  virtual void do_update(const PacingView& view) = 0;
  virtual double do_participation(std::uint32_t advertiser, RngStream& rng) = 0;
};

// Pacers by name. Context: the number of advertisers.
using PacerRegistry = Registry<Pacer, std::size_t>;

// The built-in pacers, registered once.
const PacerRegistry& pacer_registry();

}  // namespace marketsim
