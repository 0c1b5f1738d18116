// AdvertiserLedger: billing within the day's budget, the funding version that tells candidate
// generators when the set of advertisers with budget left may have changed, and whether all have.
#include <catch2/catch.hpp>

#include <vector>

#include "sim/world/advertiser_ledger.h"

using namespace marketsim;

TEST_CASE("the ledger bills within budgets and versions the funded advertisers", "[sim][ledger]") {
  std::vector<Advertiser> advertisers(2);
  advertisers[0].id = 0;
  advertisers[0].daily_budget = 10.0;
  advertisers[1].id = 1;
  advertisers[1].daily_budget = 5.0;
  AdvertiserLedger ledger(advertisers);
  const std::uint64_t before = ledger.funding_version();
  CHECK(before != 0);
  CHECK_FALSE(ledger.all_funded());  // no day started: no budget yet
  ledger.start_day();
  CHECK(ledger.all_funded());
  const std::uint64_t day = ledger.funding_version();
  CHECK(day != before);
  CHECK(ledger.charge(0, 4.0) == 4.0);
  CHECK(ledger.funding_version() == day);  // still funded
  CHECK(ledger.all_funded());
  CHECK(ledger.charge(1, 7.0) == 5.0);  // billed what was left, and spent out
  CHECK_FALSE(ledger.all_funded());
  const std::uint64_t spent = ledger.funding_version();
  CHECK(spent != day);
  CHECK(ledger.remaining()[1] == 0.0);
  CHECK(ledger.charge(1, 1.0) == 0.0);
  CHECK(ledger.funding_version() == spent);  // already out: nothing changed
  CHECK(ledger.charge(0, 6.0) == 6.0);
  CHECK(ledger.funding_version() != spent);
  CHECK(ledger.spent_today()[0] == 10.0);
  ledger.start_day();
  CHECK(ledger.remaining()[0] == 10.0);
  CHECK(ledger.spent_today()[0] == 0.0);
  CHECK(ledger.all_funded());
  advertisers[1].daily_budget = 0.0;  // an advertiser without a budget is never funded
  ledger.start_day();
  CHECK_FALSE(ledger.all_funded());
}
