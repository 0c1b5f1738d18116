// ReservePolicy: the reserve price per click of each partner's auctions, fixed or learned.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/core/registry.h"

namespace marketsim {

// Sets the reserve price (USD per click) of the auctions run on each partner's pages and may learn
// it from the bids it sees. The world asks reserve() before each auction and calls observe() once
// per request after it, with the top two eligible CPC bids of that request. The base class holds
// implementations to the contract: a reserve is finite and never negative (std::logic_error
// otherwise), and observed bids satisfy 0 <= second <= highest, finite (std::invalid_argument
// otherwise). Not thread-safe: one instance per run.
class ReservePolicy {
 public:
  virtual ~ReservePolicy() = default;

  // The reserve price per click for the next auction on `partner`, USD.
  double reserve(std::uint32_t partner) const;

  // Learns from one request on `partner`: the highest and second-highest eligible CPC bids, USD
  // (second = 0 when there were fewer than two bids, both 0 when there were none).
  void observe(std::uint32_t partner, double highest_bid, double second_bid);

 private:
  virtual double do_reserve(std::uint32_t partner) const = 0;
  virtual void do_observe(std::uint32_t partner, double highest_bid, double second_bid) = 0;
};

// What a reserve policy is built with: the partners' own configured reserve prices (USD per click,
// one per partner id). Built from a bare count, every partner's configured reserve is 0.
struct ReserveContext {
  ReserveContext(std::size_t partners) : partner_reserves(partners, 0.0) {}  // NOLINT: implicit
  explicit ReserveContext(std::vector<double> reserves) : partner_reserves(std::move(reserves)) {}

  std::size_t partners() const { return partner_reserves.size(); }

  std::vector<double> partner_reserves;
};

// Reserve policies by name.
using ReservePolicyRegistry = Registry<ReservePolicy, const ReserveContext&>;

// The built-in reserve policies, registered once: partner, fixed, learned.
const ReservePolicyRegistry& reserve_policy_registry();

}  // namespace marketsim
