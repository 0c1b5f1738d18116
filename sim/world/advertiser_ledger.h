// AdvertiserLedger: each advertiser's budget for the day and what it got for its money.
#pragma once

#include <cstdint>
#include <vector>

#include "agents/advertiser.h"

namespace marketsim {

// Budgets and per-advertiser totals of one replication. Spend never exceeds the day's budget:
// charge() bills at most what is left.
class AdvertiserLedger {
 public:
  // What one advertiser did over the whole replication.
  struct Totals {
    double impressions = 0;
    double clicks = 0;
    double conversions = 0;
    double spend = 0;
    double conversion_value = 0;
  };

  explicit AdvertiserLedger(const std::vector<Advertiser>& advertisers);

  // Resets every budget to its daily amount.
  void start_day();

  // Bills up to `amount` to `advertiser` and returns what was billed.
  double charge(std::uint32_t advertiser, double amount);

  const std::vector<double>& remaining() const { return remaining_; }
  // Changes whenever the set of advertisers with budget left may have changed (a new day, a
  // budget spent out); from 1, so never the MarketView's "unknown" 0.
  std::uint64_t funding_version() const { return funding_version_; }
  // True while every advertiser has budget left today.
  bool all_funded() const { return unfunded_ == 0; }
  const std::vector<double>& spent_today() const { return spent_today_; }
  Totals& totals(std::uint32_t advertiser) { return totals_[advertiser]; }
  const std::vector<Totals>& totals() const { return totals_; }

 private:
  const std::vector<Advertiser>* advertisers_;
  std::vector<double> remaining_;
  std::vector<double> spent_today_;
  std::vector<Totals> totals_;
  std::uint64_t funding_version_ = 1;
  std::size_t unfunded_;  // advertisers with no budget left today
};

}  // namespace marketsim
