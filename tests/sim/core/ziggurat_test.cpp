// ziggurat_normal: moments, the distribution function and the tail against the standard normal.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/core/ziggurat.h"

using namespace marketsim;

namespace {

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

std::vector<double> draws(std::size_t n, std::uint64_t seed) {
  RngStream rng(ReplicationKey{seed, 0}, "test.ziggurat", 0);
  std::vector<double> z(n);
  for (double& x : z) x = ziggurat_normal(rng);
  return z;
}

}  // namespace

TEST_CASE("ziggurat draws have the standard normal's moments", "[core][ziggurat]") {
  constexpr std::size_t n = 2'000'000;
  const std::vector<double> z = draws(n, 1);
  double m1 = 0, m2 = 0, m3 = 0, m4 = 0;
  for (double x : z) {
    m1 += x;
    m2 += x * x;
    m3 += x * x * x;
    m4 += x * x * x * x;
  }
  m1 /= n, m2 /= n, m3 /= n, m4 /= n;
  // Standard errors of the sample moments of N(0, 1): sqrt(Var(Z^k) / n), with
  // Var(Z) = 1, Var(Z^2) = 2, Var(Z^3) = 15, Var(Z^4) = 96; tolerance 5 standard errors.
  const double root_n = std::sqrt(static_cast<double>(n));
  CHECK(std::abs(m1) < 5 * 1.0 / root_n);
  CHECK(std::abs(m2 - 1) < 5 * std::sqrt(2.0) / root_n);
  CHECK(std::abs(m3) < 5 * std::sqrt(15.0) / root_n);
  CHECK(std::abs(m4 - 3) < 5 * std::sqrt(96.0) / root_n);
}

namespace {

// Checks that `z` is a sample of the standard normal: Kolmogorov-Smirnov at level 0.001, and the
// counts beyond points in the wedges and the tail within 5 binomial standard errors.
void check_standard_normal(std::vector<double> z) {
  const std::size_t n = z.size();
  std::sort(z.begin(), z.end());
  // Kolmogorov-Smirnov: the critical value at level 0.001 is 1.95 / sqrt(n).
  double d = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double f = normal_cdf(z[i]);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  CHECK(d < 1.95 / std::sqrt(static_cast<double>(n)));
  // Beyond the base layer's edge R (the tail sampler) and in the wedges near the top: counts
  // against their expectations, within 5 binomial standard errors.
  for (const double edge : {0.2, 1.0, 2.5, ziggurat_detail::kTables.edge[1], 4.0}) {
    const double p = 2 * (1 - normal_cdf(edge));
    const auto beyond =
        std::count_if(z.begin(), z.end(), [&](double x) { return std::abs(x) > edge; });
    CAPTURE(edge);
    CHECK(std::abs(static_cast<double>(beyond) - n * p) < 5 * std::sqrt(n * p * (1 - p)));
  }
}

// The first draw of MixStream(key, entity) for `keys` keys from `first_key` and `entities`
// entities, entity-major within a key.
std::vector<double> first_mix_draws(std::uint64_t first_key, std::size_t keys,
                                    std::uint32_t entities) {
  std::vector<double> z;
  z.reserve(keys * entities);
  for (std::uint64_t k = first_key; k < first_key + keys; ++k)
    for (std::uint32_t e = 0; e < entities; ++e) {
      MixStream stream(k * 0x2545f4914f6cdd1dull, e);
      z.push_back(ziggurat_normal(stream));
    }
  return z;
}

// Pearson's correlation of x[i] and y[i].
double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const auto n = static_cast<double>(x.size());
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sx += x[i], sy += y[i];
    sxx += x[i] * x[i], syy += y[i] * y[i], sxy += x[i] * y[i];
  }
  return (sxy - sx * sy / n) / std::sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
}

}  // namespace

TEST_CASE("ziggurat draws follow the normal distribution function, tails included",
          "[core][ziggurat]") {
  check_standard_normal(draws(1'000'000, 2));
}

TEST_CASE("one draw from each of many keyed MixStreams is standard normal and independent",
          "[core][ziggurat]") {
  // How logistic_laplace samples a posterior: one ziggurat draw from MixStream(key, bucket) per
  // bucket, a fresh key per call. 1000 keys x 1000 entities: the pooled first draws pass the
  // checks above, and draws of neighbouring entities under one key, and of one entity under
  // consecutive keys (k x an odd constant), are uncorrelated (|r| under 5 standard errors, 1 /
  // sqrt(n) each).
  const std::vector<double> z = first_mix_draws(1, 1000, 1000);
  check_standard_normal(z);
  std::vector<double> even, odd;
  for (std::size_t i = 0; i + 1 < z.size(); i += 2) even.push_back(z[i]), odd.push_back(z[i + 1]);
  CHECK(std::abs(correlation(even, odd)) < 5 / std::sqrt(static_cast<double>(even.size())));
  const std::vector<double> one_key_on(z.begin() + 1000, z.end());
  const std::vector<double> same_entity(z.begin(), z.end() - 1000);
  CHECK(std::abs(correlation(same_entity, one_key_on)) < 5 / std::sqrt(999'000.0));
  MixStream a(7, 3), b(7, 3), c(7, 4);
  CHECK(ziggurat_normal(a) == ziggurat_normal(b));
  CHECK(ziggurat_normal(a) != ziggurat_normal(c));
}

TEST_CASE("ziggurat draws are a function of the stream", "[core][ziggurat]") {
  CHECK(draws(1000, 3) == draws(1000, 3));
  CHECK(draws(1000, 3) != draws(1000, 4));
}

TEST_CASE("the ziggurat's tail sampler draws Z given Z > R", "[core][ziggurat]") {
  // The base layer's draws beyond R (a few in a thousand of all draws) against the conditional
  // distribution function P(Z <= x | Z > R) = 1 - (1 - Phi(x)) / (1 - Phi(R)), by
  // Kolmogorov-Smirnov at level 0.001; u > 0 asks for the right tail.
  const double r = ziggurat_detail::kTables.edge[1];
  constexpr std::size_t n = 200'000;
  RngStream rng(ReplicationKey{5, 0}, "test.ziggurat.tail", 0);
  std::vector<double> x(n);
  for (double& v : x) v = ziggurat_detail::beyond_rectangle(rng, 0.999, 0);
  std::sort(x.begin(), x.end());
  CHECK(x.front() > r);
  double d = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double f = 1 - (1 - normal_cdf(x[i])) / (1 - normal_cdf(r));
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  CHECK(d < 1.95 / std::sqrt(static_cast<double>(n)));
}
