// ThinnedPoissonProcess: arrivals follow the configured hourly and weekly profiles and rate spikes.
#include <catch2/catch.hpp>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <vector>

#include "agents/arrival_process.h"

using namespace marketsim;

TEST_CASE("arrivals follow the configured hourly profile", "[agents][arrivals][statistics]") {
  // Hourly counts over D days are independent Poisson(D * base * profile[h]). Pearson's
  // statistic over the 24 hours, conditional on the total, is chi-squared with 23 degrees of
  // freedom; rejecting above its 99.9% quantile is a 0.1% false-alarm rate. The total is checked
  // separately against Poisson(D * base * sum(profile)) with a two-sided 0.1% z-test.
  const std::vector<double> profile = {0.3,  0.2, 0.15, 0.1, 0.1, 0.15, 0.3,  0.6,
                                       0.9,  1.1, 1.2,  1.3, 1.4, 1.3,  1.25, 1.2,
                                       1.25, 1.4, 1.6,  1.8, 1.7, 1.4,  1.0,  0.6};
  const double base = 40.0;
  const int days = 200;
  ThinnedPoissonProcess process(RateProfile{base, profile, std::vector<double>(7, 1.0), {}},
                                days * kMicrosPerDay,
                                RngStream(ReplicationKey{77, 0}, "test.arrivals", 0));
  std::vector<double> counts(24, 0.0);
  double total = 0;
  for (SimTime t = process.next(0); t >= 0; t = process.next(t)) {
    counts[(t % kMicrosPerDay) / kMicrosPerHour] += 1;
    total += 1;
  }
  double profile_sum = 0;
  for (double p : profile) profile_sum += p;
  const double expected_total = days * base * profile_sum;
  const double z = (total - expected_total) / std::sqrt(expected_total);
  const double z_crit = boost::math::quantile(boost::math::normal(), 1 - 0.0005);
  CHECK(std::abs(z) < z_crit);

  double chi2 = 0;
  for (int h = 0; h < 24; ++h) {
    const double expected = total * profile[h] / profile_sum;
    chi2 += (counts[h] - expected) * (counts[h] - expected) / expected;
  }
  const double critical = boost::math::quantile(boost::math::chi_squared(23), 0.999);
  INFO("chi2 = " << chi2 << ", critical = " << critical);
  CHECK(chi2 < critical);
}

TEST_CASE("the hourly profile test has power against a wrong profile",
          "[agents][arrivals][statistics]") {
  // The same statistic must reject a flat process when the hypothesis is the diurnal profile.
  std::vector<double> flat(24, 1.0), diurnal(24, 1.0);
  for (int h = 0; h < 24; ++h) diurnal[h] = 1.0 + 0.5 * std::sin(h * 3.14159265 / 12.0);
  ThinnedPoissonProcess process(RateProfile{40.0, flat, std::vector<double>(7, 1.0), {}},
                                200 * kMicrosPerDay,
                                RngStream(ReplicationKey{78, 0}, "test.arrivals", 0));
  std::vector<double> counts(24, 0.0);
  double total = 0;
  for (SimTime t = process.next(0); t >= 0; t = process.next(t)) {
    counts[(t % kMicrosPerDay) / kMicrosPerHour] += 1;
    total += 1;
  }
  double chi2 = 0;
  for (int h = 0; h < 24; ++h) {
    const double expected = total * diurnal[h] / 24.0;
    chi2 += (counts[h] - expected) * (counts[h] - expected) / expected;
  }
  CHECK(chi2 > boost::math::quantile(boost::math::chi_squared(23), 0.999));
}

TEST_CASE("arrival times strictly increase and a zero profile yields none", "[agents][arrivals]") {
  const std::vector<double> week(7, 1.0);
  ThinnedPoissonProcess process(RateProfile{1000.0, std::vector<double>(24, 1.0), week, {}},
                                10 * kMicrosPerDay,
                                RngStream(ReplicationKey{1, 0}, "test.arrivals", 0));
  SimTime t = 0;
  for (int i = 0; i < 1000; ++i) {
    const SimTime next = process.next(t);
    REQUIRE(next > t);
    t = next;
  }
  ThinnedPoissonProcess silent(RateProfile{1000.0, std::vector<double>(24, 0.0), week, {}},
                               10 * kMicrosPerDay,
                               RngStream(ReplicationKey{1, 0}, "test.arrivals", 0));
  CHECK(silent.next(0) < 0);
}

TEST_CASE("weekly profile and flash sales shape the arrivals", "[agents][arrivals][statistics]") {
  // 8 weeks at a flat hourly profile with a weekly profile, and one 6-hour x4 flash sale on day 9
  // from 10:00. Counts per day of week (flash-sale day excluded) follow the weekly profile: a
  // Pearson test with 6 degrees of freedom at a 0.1% false-alarm rate. The flash-sale window's
  // count is Poisson(4 x its normal mean); checked with a two-sided 0.1% z-test.
  const std::vector<double> weekly = {0.8, 0.9, 1.0, 1.0, 1.1, 1.4, 0.6};
  const double base = 30.0;
  const SimTime sale_start = 9 * kMicrosPerDay + 10 * kMicrosPerHour;
  const SimTime sale_end = sale_start + 6 * kMicrosPerHour;
  RateProfile profile{base, std::vector<double>(24, 1.0), weekly, {{sale_start, sale_end, 4.0}}};
  const int days = 56;
  ThinnedPoissonProcess process(profile, days * kMicrosPerDay,
                                RngStream(ReplicationKey{79, 0}, "test.arrivals", 0));
  std::vector<double> by_weekday(7, 0.0);
  double in_sale = 0;
  for (SimTime t = process.next(0); t >= 0; t = process.next(t)) {
    if (t >= sale_start && t < sale_end) in_sale += 1;
    const SimTime day = t / kMicrosPerDay;
    if (day != 9) by_weekday[day % 7] += 1;
  }
  // Expected counts: 8 occurrences of each weekday, except 7 for day 9's weekday (2).
  std::vector<double> expected(7);
  double total = 0, expected_total = 0;
  for (int d = 0; d < 7; ++d) {
    expected[d] = (d == 2 ? 7 : 8) * 24 * base * weekly[d];
    total += by_weekday[d];
    expected_total += expected[d];
  }
  double chi2 = 0;
  for (int d = 0; d < 7; ++d) {
    const double e = expected[d] * total / expected_total;
    chi2 += (by_weekday[d] - e) * (by_weekday[d] - e) / e;
  }
  CHECK(chi2 < boost::math::quantile(boost::math::chi_squared(6), 0.999));
  const double sale_mean = 4.0 * 6 * base * weekly[2];
  const double z_crit = boost::math::quantile(boost::math::normal(), 1 - 0.0005);
  CHECK(std::abs(in_sale - sale_mean) / std::sqrt(sale_mean) < z_crit);
  CHECK(profile.rate_per_hour(sale_start - 1) == Approx(base * weekly[2]));
  CHECK(profile.rate_per_hour(sale_start) == Approx(4 * base * weekly[2]));
}

TEST_CASE("a rate spike with edges inside hours multiplies the rate exactly there",
          "[agents][arrivals][statistics]") {
  // A x5 spike from 10:20 to 11:40 on each of 100 days at a flat base rate: the counts in the
  // spike's 80 minutes, in the 20 minutes before it (10:00-10:20) and in the 20 minutes after it
  // (11:40-12:00) are Poisson with means 100 x 5 x 80/60 x base, 100 x 20/60 x base and likewise;
  // each is checked with a two-sided z-test at 0.1%.
  const double base = 30.0;
  const int days = 100;
  const SimTime minute = kMicrosPerHour / 60;
  RateProfile profile{base, std::vector<double>(24, 1.0), std::vector<double>(7, 1.0), {}};
  for (int d = 0; d < days; ++d) {
    const SimTime start = d * kMicrosPerDay + 10 * kMicrosPerHour + 20 * minute;
    profile.spikes.push_back({start, start + 80 * minute, 5.0});
  }
  ThinnedPoissonProcess process(profile, days * kMicrosPerDay,
                                RngStream(ReplicationKey{80, 0}, "test.arrivals", 0));
  double before = 0, during = 0, after = 0;
  for (SimTime t = process.next(0); t >= 0; t = process.next(t)) {
    const SimTime in_day = t % kMicrosPerDay - 10 * kMicrosPerHour;
    if (in_day >= 0 && in_day < 20 * minute) before += 1;
    if (in_day >= 20 * minute && in_day < 100 * minute) during += 1;
    if (in_day >= 100 * minute && in_day < 120 * minute) after += 1;
  }
  const double z_crit = boost::math::quantile(boost::math::normal(), 1 - 0.0005);
  const double edge_mean = days * base / 3.0, spike_mean = days * 5.0 * base * 80.0 / 60.0;
  CHECK(std::abs(before - edge_mean) / std::sqrt(edge_mean) < z_crit);
  CHECK(std::abs(during - spike_mean) / std::sqrt(spike_mean) < z_crit);
  CHECK(std::abs(after - edge_mean) / std::sqrt(edge_mean) < z_crit);
}

TEST_CASE("gaps at a constant rate are exponential", "[agents][arrivals][statistics]") {
  // At a constant 3600 per hour (mean gap 1 s, far above the microsecond rounding), the gaps
  // are Exp(mean 1 s): their mean within 5 standard errors (sd = mean / sqrt(n)) and the share
  // above 3 s within 5 binomial standard errors of exp(-3), also across hour boundaries.
  ThinnedPoissonProcess process(
      RateProfile{3600.0, std::vector<double>(24, 1.0), std::vector<double>(7, 1.0), {}},
      30 * kMicrosPerDay, RngStream(ReplicationKey{81, 0}, "test.arrivals", 0));
  double n = 0, sum = 0, long_gaps = 0;
  SimTime previous = 0;
  for (SimTime t = process.next(0); t >= 0; t = process.next(t)) {
    const double gap = static_cast<double>(t - previous) / kMicrosPerSecond;
    previous = t;
    n += 1;
    sum += gap;
    if (gap > 3.0) long_gaps += 1;
  }
  CHECK(std::abs(sum / n - 1.0) < 5.0 / std::sqrt(n));
  const double p = std::exp(-3.0);
  CHECK(std::abs(long_gaps / n - p) < 5.0 * std::sqrt(p * (1 - p) / n));
}

namespace {

// Thinning as the class comment defines it, with nothing kept between candidates: the day's
// peak and the rate at each candidate are computed afresh from the profile.
SimTime thinning_by_definition(const RateProfile& profile, SimTime horizon, RngStream& stream,
                               SimTime after) {
  SimTime t = after;
  while (t < horizon) {
    const SimTime day = t / kMicrosPerDay, day_end = (day + 1) * kMicrosPerDay;
    const double peak = profile.peak_of_day(day);
    if (peak <= 0) {
      t = day_end;
      continue;
    }
    const double gap = -std::log(stream.uniform()) * static_cast<double>(kMicrosPerHour) / peak;
    if (gap >= static_cast<double>(day_end - t)) {  // past midnight (and beyond llround's range)
      t = day_end;
      continue;
    }
    const SimTime candidate = t + std::max<SimTime>(1, std::llround(gap));
    if (candidate >= day_end) {
      t = day_end;
      continue;
    }
    t = candidate;
    if (t >= horizon) return -1;
    if (stream.uniform() * peak < profile.rate_per_hour(t)) return t;
  }
  return -1;
}

}  // namespace

TEST_CASE("the arrival stream is thinning by its definition, arrival by arrival",
          "[agents][arrivals]") {
  // Diurnal and weekly profiles with a zero hour and a zero day, spikes whose edges fall inside
  // hours (overlapping, one of them a slump and one a pause), a horizon in the middle of a day:
  // the process must draw the same candidates and keep the same ones as the definition.
  const SimTime minute = kMicrosPerHour / 60;
  std::vector<double> hourly = {0.3, 0.2, 0.15, 0.1, 0.0,  0.15, 0.3, 0.6, 0.9, 1.1, 1.2, 1.3,
                                1.4, 1.3, 1.25, 1.2, 1.25, 1.4,  1.6, 1.8, 1.7, 1.4, 1.0, 0.6};
  RateProfile profile{120.0, hourly, {0.95, 0.0, 1.0, 1.0, 1.05, 1.15, 0.9}, {}};
  profile.spikes = {{10 * kMicrosPerHour + 17 * minute, 13 * kMicrosPerHour + 3 * minute, 5.0},
                    {12 * kMicrosPerHour + 41 * minute, 12 * kMicrosPerHour + 59 * minute, 3.0},
                    {2 * kMicrosPerDay + 5 * minute, 2 * kMicrosPerDay + 7 * kMicrosPerHour, 0.4},
                    {3 * kMicrosPerDay + 20 * kMicrosPerHour + 30 * minute,
                     3 * kMicrosPerDay + 22 * kMicrosPerHour, 0.0},
                    {8 * kMicrosPerDay + 23 * kMicrosPerHour + 59 * minute,
                     9 * kMicrosPerDay + 1 * minute, 20.0}};
  const SimTime horizon = 16 * kMicrosPerDay + 9 * kMicrosPerHour + 11 * minute;
  const RngStream stream(ReplicationKey{82, 0}, "test.arrivals", 0);
  ThinnedPoissonProcess process(profile, horizon, stream);
  RngStream definition_stream = stream;
  std::size_t arrivals = 0;
  SimTime t = 0, expected = 0;
  do {
    t = process.next(t);
    expected = thinning_by_definition(profile, horizon, definition_stream, expected);
    REQUIRE(t == expected);
    REQUIRE(t < horizon);
    ++arrivals;
  } while (t >= 0);
  CHECK(arrivals > 20000);
}

TEST_CASE("no arrival comes at or after the horizon", "[agents][arrivals]") {
  // Horizons inside the first two hours, where the rate is 0.6 of the day's peak: the candidate
  // that crosses a horizon is accepted with probability 0.6, so over 200 processes one that
  // returned it would be seen (a chance of 0.4^200 of missing it).
  std::vector<double> hourly(24, 0.6);
  hourly[12] = 1.0;
  const RateProfile profile{600.0, hourly, std::vector<double>(7, 1.0), {}};
  RngStream horizons(ReplicationKey{83, 0}, "test.arrivals.horizons", 0);
  for (std::uint32_t p = 0; p < 200; ++p) {
    const auto horizon = static_cast<SimTime>(horizons.uniform() * 2 * kMicrosPerHour) + 1;
    ThinnedPoissonProcess process(profile, horizon,
                                  RngStream(ReplicationKey{83, 0}, "test.arrivals", p));
    SimTime last = 0;
    for (SimTime t = process.next(0); t >= 0; t = process.next(t)) last = t;
    REQUIRE(last < horizon);
  }
}
