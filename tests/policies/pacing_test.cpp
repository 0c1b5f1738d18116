// Pacers: the registry, every pacer's contract, day-start resets and the documented control laws.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <vector>

#include "policies/pacing/pacer.h"
#include "policies/pacing/pid_pacer.h"
#include "policies/pacing/throttle.h"
#include "sim/core/error.h"
#include "sim/core/rng.h"

using namespace marketsim;

namespace {

constexpr SimTime kQuarterHour = kMicrosPerHour / 4;

std::unique_ptr<Pacer> make_pacer(const ComponentInfo& info, std::size_t advertisers) {
  return pacer_registry().create(info.name, defaults_of(info.params), advertisers);
}

// A view at `now` of the day that starts at `day_start`.
PacingView view_at(SimTime day_start, SimTime now, const std::vector<double>& budget,
                   const std::vector<double>& spent) {
  return PacingView{now, day_start, kMicrosPerDay, budget, spent};
}

// The multipliers of `advertisers` advertisers over `draws` requests of the stream `seed`.
std::vector<double> draw_multipliers(Pacer& pacer, std::size_t advertisers, std::uint64_t seed,
                                     int draws = 50) {
  RngStream rng(ReplicationKey{seed, 0}, "test.pacing", 0);
  std::vector<double> out;
  for (int i = 0; i < draws; ++i)
    for (std::size_t a = 0; a < advertisers; ++a)
      out.push_back(pacer.participation(static_cast<std::uint32_t>(a), rng));
  return out;
}

// Feeds a day of updates every 15 minutes in which advertiser a has spent `pace[a]` times the
// even curve (capped at its budget).
void feed_day(Pacer& pacer, SimTime day_start, const std::vector<double>& budget,
              const std::vector<double>& pace) {
  std::vector<double> spent(budget.size(), 0.0);
  for (int k = 0; k < 96; ++k) {
    for (std::size_t a = 0; a < budget.size(); ++a)
      spent[a] = std::min(budget[a], budget[a] * pace[a] * k / 96.0);
    pacer.update(view_at(day_start, day_start + k * kQuarterHour, budget, spent));
  }
}

}  // namespace

TEST_CASE("pacers are registered with descriptions and unknown names list the valid ones",
          "[pacing]") {
  const auto names = pacer_registry().names();
  CHECK(names == std::vector<std::string>{"none", "throttle", "pid"});
  for (const auto& info : pacer_registry().components()) CHECK_FALSE(info.description.empty());
  try {
    pacer_registry().create("even", ParamValues{}, 3);
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("none, throttle, pid") != std::string::npos);
  }
}

TEST_CASE("inconsistent pacer parameters are usage errors", "[pacing]") {
  const auto& registry = pacer_registry();
  const auto params_of = [&](const std::string& name) {
    for (const auto& info : registry.components())
      if (info.name == name) return defaults_of(info.params);
    throw std::logic_error("missing " + name);
  };
  ParamValues pid = params_of("pid");
  pid.set("max_multiplier", 0.5);  // below the default initial multiplier of 1
  CHECK_THROWS_AS(registry.create("pid", pid, 2), UsageError);
  pid.set("initial_multiplier", 0.5);
  pid.set("min_multiplier", 0.6);
  CHECK_THROWS_AS(registry.create("pid", pid, 2), UsageError);
  ParamValues throttle = params_of("throttle");
  throttle.set("min_probability", 0.5);
  throttle.set("initial_probability", 0.2);
  CHECK_THROWS_AS(registry.create("throttle", throttle, 2), UsageError);
}

TEST_CASE("every pacer returns finite non-negative multipliers, deterministic given the stream",
          "[pacing]") {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> budget = {0.0, 1e-9, 50.0, 50.0, inf, 1e12};
  for (const auto& info : pacer_registry().components()) {
    INFO("pacer " << info.name);
    auto first = make_pacer(info, budget.size());
    auto second = make_pacer(info, budget.size());
    CHECK(draw_multipliers(*first, budget.size(), 1) ==
          draw_multipliers(*second, budget.size(), 1));
    // Spends behind, on and far beyond the curve; repeated times; times past the day's end.
    const std::vector<SimTime> times = {0,
                                        kQuarterHour,
                                        kQuarterHour,
                                        7 * kMicrosPerHour,
                                        kMicrosPerDay - 1,
                                        kMicrosPerDay + kMicrosPerHour};
    for (std::size_t k = 0; k < times.size(); ++k) {
      const double scale = static_cast<double>(k);
      const std::vector<double> spent = {0.0, 1e-9, 100.0 * scale, 0.0, 1e6 * scale, scale};
      const PacingView view = view_at(0, times[k], budget, spent);
      first->update(view);
      second->update(view);
      const auto m = draw_multipliers(*first, budget.size(), 2 + k);
      CHECK(m == draw_multipliers(*second, budget.size(), 2 + k));
      for (double x : m) REQUIRE((std::isfinite(x) && x >= 0.0));
    }
  }
}

TEST_CASE("every pacer forgets the previous day at day start", "[pacing]") {
  const std::vector<double> budget = {40.0, 80.0, 120.0};
  const std::vector<double> pace = {0.2, 1.5, 3.0};  // far behind, ahead, exhausted by 8h
  const std::vector<double> no_spend(budget.size(), 0.0);
  for (const auto& info : pacer_registry().components()) {
    // The day-2 update either lands exactly at midnight or, if the world skipped it, later.
    for (SimTime first_update : {kMicrosPerDay, kMicrosPerDay + kQuarterHour}) {
      INFO("pacer " << info.name << ", first day-2 update at " << first_update);
      auto used = make_pacer(info, budget.size());
      auto fresh = make_pacer(info, budget.size());
      feed_day(*used, 0, budget, pace);
      const PacingView day2 = view_at(kMicrosPerDay, first_update, budget, no_spend);
      used->update(day2);
      fresh->update(day2);
      CHECK(draw_multipliers(*used, budget.size(), 7, 200) ==
            draw_multipliers(*fresh, budget.size(), 7, 200));
    }
  }
}

TEST_CASE("throttle follows its documented law and participates with probability p",
          "[pacing][statistics]") {
  ThrottlePacer pacer(ThrottleParams{}, 1);   // defaults: gain 0.3, catch-up 2 h, p0 = 1
  const std::vector<double> budget = {96.0};  // even pace: 4 USD/h, 1 USD per 15 minutes
  pacer.update(view_at(0, 0, budget, {0.0}));
  CHECK(pacer.probability(0) == 1.0);
  // 3 USD in the first 15 minutes at p = 1: demand 12 USD/h; 2 USD ahead of the curve.
  pacer.update(view_at(0, kQuarterHour, budget, {3.0}));
  const double desired = 4.0 + (1.0 - 3.0) / 2.0;
  CHECK(pacer.probability(0) == Approx(desired / 12.0));
  // Nothing spent in the next 15 minutes: demand 0.7 * 12 USD/h, 1.5 USD ahead.
  pacer.update(view_at(0, 2 * kQuarterHour, budget, {3.0}));
  const double p = (4.0 + (2.0 - 3.0) / 2.0) / (0.7 * 12.0);
  CHECK(pacer.probability(0) == Approx(p));
  RngStream rng(ReplicationKey{3, 0}, "test.pacing", 0);
  const int draws = 100000;
  int in = 0;
  for (int i = 0; i < draws; ++i) in += pacer.participation(0, rng) == 1.0 ? 1 : 0;
  CHECK(std::abs(static_cast<double>(in) / draws - p) < 4 * std::sqrt(p * (1 - p) / draws));
  CHECK_THROWS_AS(pacer.update(view_at(0, 0, {96.0, 1.0}, {0.0})), std::logic_error);
}

TEST_CASE("pid follows its documented law and does not wind up while saturated", "[pacing]") {
  PidParams params;  // kp 30, ki 10/h, kd 0, m in [0.01, 1], m0 = 1
  params.kd = 0.5;
  PidPacer pacer(params, 1);
  const std::vector<double> budget = {96.0};
  pacer.update(view_at(0, 0, budget, {0.0}));
  CHECK(pacer.multiplier(0) == 1.0);
  // 3 USD after 15 minutes: e = (1 - 3) / 96, I = e / 4 h, de/dt = 4 e per hour.
  pacer.update(view_at(0, kQuarterHour, budget, {3.0}));
  double e = -2.0 / 96.0;
  CHECK(pacer.multiplier(0) == Approx(std::exp(30 * e + 10 * e / 4 + 0.5 * 4 * e)));
  // Far behind for hours: the multiplier sits at its maximum and the integral stays frozen, so
  // being ahead of the curve later lowers the multiplier at once.
  for (int k = 2; k <= 40; ++k) pacer.update(view_at(0, k * kQuarterHour, budget, {3.0}));
  CHECK(pacer.multiplier(0) == 1.0);
  pacer.update(view_at(0, 41 * kQuarterHour, budget, {42.0}));  // curve at 41, 1 USD ahead
  CHECK(pacer.multiplier(0) < 0.8);
  CHECK_THROWS_AS(pacer.update(view_at(0, 0, budget, {})), std::logic_error);
}
