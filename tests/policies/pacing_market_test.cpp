// Pacers in a toy market: without pacing small budgets run out early; throttle and pid spend
// them evenly over the day, every day.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <vector>

#include "policies/pacing/pacer.h"
#include "sim/core/rng.h"

using namespace marketsim;

namespace {

constexpr int kAdvertisers = 5;
constexpr int kRequestsPerDay = 10000;  // equally spaced over the day
constexpr int kUpdatesPerDay = 96;      // every 15 simulated minutes, the first at midnight
constexpr int kDays = 2;

// Budgets are 15% to 38% of what each advertiser would spend in a day at full bids.
constexpr std::array<double, kAdvertisers> kBudget = {30, 60, 100, 150, 200};

// USD charged per won request at bid multiplier 1.
double price(int advertiser) { return 0.05 + 0.02 * advertiser; }

// Each advertiser takes part in every request; a higher bid multiplier wins more often, so spend
// grows faster than linearly in the multiplier (elasticity between 1 and 2).
double win_probability(double multiplier) { return 0.6 * multiplier / (multiplier + 0.5); }

// Spend per day, quarter of the day and advertiser (USD).
using QuarterSpend = std::array<std::array<std::array<double, 4>, kAdvertisers>, kDays>;

// Runs the market for kDays days. A win charges price * multiplier, capped at what is left of
// the budget; an advertiser with nothing left is out, as in the world. Budgets reset at midnight.
QuarterSpend run_market(Pacer& pacer, std::uint64_t seed) {
  RngStream policy(ReplicationKey{seed, 0}, "test.pacing.policy", 0);
  RngStream market(ReplicationKey{seed, 0}, "test.pacing.market", 0);
  QuarterSpend quarters{};
  for (int day = 0; day < kDays; ++day) {
    const SimTime day_start = day * kMicrosPerDay;
    std::array<double, kAdvertisers> spent{};
    int updates = 0;
    for (int i = 0; i < kRequestsPerDay; ++i) {
      const double at = (i + 0.5) / kRequestsPerDay;  // fraction of the day
      for (; updates < kUpdatesPerDay && updates <= at * kUpdatesPerDay; ++updates)
        pacer.update(PacingView{day_start + updates * kMicrosPerDay / kUpdatesPerDay, day_start,
                                kMicrosPerDay, kBudget, spent});
      for (int a = 0; a < kAdvertisers; ++a) {
        if (spent[a] >= kBudget[a]) continue;
        const double m = pacer.participation(static_cast<std::uint32_t>(a), policy);
        if (m == 0.0 || market.uniform() >= win_probability(m)) continue;
        const double charge = std::min(price(a) * m, kBudget[a] - spent[a]);
        spent[a] += charge;
        quarters[day][a][i * 4 / kRequestsPerDay] += charge;
      }
    }
  }
  return quarters;
}

std::unique_ptr<Pacer> make_pacer(const std::string& name) {
  for (const auto& info : pacer_registry().components())
    if (info.name == name)
      return pacer_registry().create(name, defaults_of(info.params), kAdvertisers);
  FAIL("unregistered pacer " << name);
  return nullptr;
}

}  // namespace

TEST_CASE("without pacing small budgets are exhausted early in the day", "[pacing]") {
  auto pacer = make_pacer("none");
  const QuarterSpend spend = run_market(*pacer, 11);
  for (int day = 0; day < kDays; ++day)
    for (int a = 0; a < kAdvertisers; ++a) {
      INFO("day " << day << " advertiser " << a);
      CHECK(spend[day][a][0] > kBudget[a] / 2);
      CHECK(spend[day][a][3] == 0.0);
    }
}

TEST_CASE("throttle and pid spend the budget evenly over each day", "[pacing][statistics]") {
  // Tolerance. Even open-loop pacing (the right participation or multiplier known in advance)
  // makes a quarter's spend a sum of about n = B / (4 c) independent charges of at most
  // c = price (multipliers are at most 1), each won with probability below one: its variance is
  // at most c * B / 4, so sigma_q = sqrt(c * B / 4), 8% of B / 4 for the smallest budget here.
  // Feedback on the cumulative spend corrects deviations with a time constant under 2 h (throttle:
  // its 2 h catch-up; pid: critically damped at 0.65 / h) against 6 h per quarter, so it shrinks
  // that noise rather than adding to it. The overspend of the first 15 minutes at full bids, at
  // most (1 / 0.15 - 1) / 96 = 6% of the budget, decays to about (1 + 3.9) e^-3.9 = 10% of itself
  // by the end of the first quarter (pid, the slower), i.e. 2.4% of B / 4, well under sigma_q.
  // Hence each quarter within 4 sigma_q of B / 4, and the root mean square of the standardized
  // deviations at most 1: a pacer whose quarters scatter more than open-loop noise fails.
  for (const std::string name : {"throttle", "pid"}) {
    auto pacer = make_pacer(name);
    const QuarterSpend spend = run_market(*pacer, 12);
    double sum_z2 = 0;
    for (int day = 0; day < kDays; ++day)
      for (int a = 0; a < kAdvertisers; ++a) {
        const double budget = kBudget[a];
        const double sigma_q = std::sqrt(price(a) * budget / 4);
        double total = 0;
        for (int q = 0; q < 4; ++q) {
          INFO(name << " day " << day << " advertiser " << a << " quarter " << q << ": spent "
                    << spend[day][a][q] << " of " << budget);
          const double z = (spend[day][a][q] - budget / 4) / sigma_q;
          CHECK(std::abs(z) <= 4);
          sum_z2 += z * z;
          total += spend[day][a][q];
        }
        INFO(name << " day " << day << " advertiser " << a << ": spent " << total);
        CHECK(total <= budget * (1 + 1e-12));
        CHECK(total >= 0.9 * budget);
      }
    INFO(name);
    CHECK(std::sqrt(sum_z2 / (kDays * kAdvertisers * 4)) <= 1.0);
  }
}
