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

TEST_CASE("ziggurat draws follow the normal distribution function, tails included",
          "[core][ziggurat]") {
  constexpr std::size_t n = 1'000'000;
  std::vector<double> z = draws(n, 2);
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
  for (const double edge : {0.2, 1.0, 2.5, ziggurat_detail::tables().edge[1], 4.0}) {
    const double p = 2 * (1 - normal_cdf(edge));
    const auto beyond =
        std::count_if(z.begin(), z.end(), [&](double x) { return std::abs(x) > edge; });
    CAPTURE(edge);
    CHECK(std::abs(static_cast<double>(beyond) - n * p) < 5 * std::sqrt(n * p * (1 - p)));
  }
}

TEST_CASE("ziggurat draws are a function of the stream", "[core][ziggurat]") {
  CHECK(draws(1000, 3) == draws(1000, 3));
  CHECK(draws(1000, 3) != draws(1000, 4));
}

TEST_CASE("the ziggurat's tail sampler draws Z given Z > R", "[core][ziggurat]") {
  // The base layer's draws beyond R (a few in a thousand of all draws) against the conditional
  // distribution function P(Z <= x | Z > R) = 1 - (1 - Phi(x)) / (1 - Phi(R)), by
  // Kolmogorov-Smirnov at level 0.001; u > 0 asks for the right tail.
  const double r = ziggurat_detail::tables().edge[1];
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
