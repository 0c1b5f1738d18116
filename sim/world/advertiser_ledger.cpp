#include "sim/world/advertiser_ledger.h"

#include <algorithm>

namespace marketsim {

AdvertiserLedger::AdvertiserLedger(const std::vector<Advertiser>& advertisers)
    : advertisers_(&advertisers),
      remaining_(advertisers.size(), 0.0),
      spent_today_(advertisers.size(), 0.0),
      totals_(advertisers.size()),
      unfunded_(advertisers.size()) {}

void AdvertiserLedger::start_day() {
  for (const Advertiser& a : *advertisers_) remaining_[a.id] = a.daily_budget;
  unfunded_ = static_cast<std::size_t>(
      std::count_if(remaining_.begin(), remaining_.end(), [](double left) { return left <= 0; }));
  std::fill(spent_today_.begin(), spent_today_.end(), 0.0);
  ++funding_version_;
}

double AdvertiserLedger::charge(std::uint32_t advertiser, double amount) {
  double& left = remaining_[advertiser];
  const double billed = std::min(amount, left);
  const bool funded = left > 0;
  left -= billed;
  if (funded != (left > 0)) {
    ++funding_version_;
    unfunded_ = funded ? unfunded_ + 1 : unfunded_ - 1;  // either crossing, as the version
  }
  spent_today_[advertiser] += billed;
  totals_[advertiser].spend += billed;
  return billed;
}

}  // namespace marketsim
