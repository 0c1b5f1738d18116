// Beat probabilities: tanh-sinh quadrature of one Beta posterior's CDF against the other's
// quantiles, and the normal CDF of a z-score.
#include "analysis/statistics/beat_probability.h"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/tools/toms748_solve.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace marketsim {

namespace {

namespace bm = boost::math;
using Beta = bm::beta_distribution<double>;

// Relative tolerance of the quadrature (Boost compares successive refinement levels).
constexpr double kQuadratureTolerance = 1e-10;

// Probability left out at each end of the quantile integral.
constexpr double kTail = 1e-15;

void require_counts(double successes, double trials, const char* arm) {
  if (!(successes >= 0.0 && successes <= trials && std::isfinite(trials))) {
    throw std::invalid_argument(std::string("beta_binomial_beat_probability: ") + arm +
                                " needs finite 0 <= successes <= trials, got " +
                                std::to_string(successes) + " of " + std::to_string(trials));
  }
}

double beta_variance(const Beta& d) {
  const double s = d.alpha() + d.beta();
  return d.alpha() * d.beta() / (s * s * (s + 1.0));
}

// The x with I_x(a, b) = p, for p in (0, 1), found by bracketing log x: slower than Boost's
// quantile but cannot fail to converge.
double lower_quantile_by_bracketing(double a, double b, double p) {
  const double lowest = std::log(std::numeric_limits<double>::min());
  auto excess = [&](double log_x) { return bm::ibeta(a, b, std::exp(log_x)) - p; };
  const double excess_lowest = excess(lowest);
  if (excess_lowest >= 0.0) return std::exp(lowest);
  std::uintmax_t iterations = 200;
  const auto bracket = bm::tools::toms748_solve(excess, lowest, 0.0, excess_lowest, 1.0 - p,
                                                bm::tools::eps_tolerance<double>(), iterations);
  return std::exp(0.5 * (bracket.first + bracket.second));
}

// The p quantile of `d` (the 1 - p quantile, with p given exactly, when `upper`). Boost 1.74's
// inverse incomplete beta fails to converge in some tails (e.g. below 6e-10 for Beta(1/2, 3)
// and 1e-100 for Beta(2, 1e7)); there we bracket instead, the upper quantile as 1 minus the
// lower quantile of the mirrored Beta(b, a).
double beta_quantile(const Beta& d, double p, bool upper) {
  try {
    return upper ? bm::quantile(bm::complement(d, p)) : bm::quantile(d, p);
  } catch (const bm::evaluation_error&) {
    return upper ? 1.0 - lower_quantile_by_bracketing(d.beta(), d.alpha(), p)
                 : lower_quantile_by_bracketing(d.alpha(), d.beta(), p);
  }
}

// P(X > Y) for independent X ~ x and Y ~ y as an expectation over the `sample_x ? X : Y`:
// E[F_Y(X)] or E[S_X(Y)], an integral over v of the other one's CDF (or survival function) at the
// sampled variable's v quantile. Integrating over [kTail, 1 - kTail] leaves out two pieces of at
// most kTail each, the integrand being a probability. tanh-sinh passes (v, vc) with vc the
// distance to the nearer end, negative on the left half, so upper quantiles use the exact
// complement (1 - upper) + vc instead of 1 - v rounded.
double quantile_integral(const Beta& x, const Beta& y, bool sample_x) {
  const Beta& sampled = sample_x ? x : y;
  const double upper = 1.0 - kTail;
  const double upper_complement = 1.0 - upper;  // exact
  auto integrand = [&](double v, double vc) {
    const double q = vc > 0.0 ? beta_quantile(sampled, upper_complement + vc, true)
                              : beta_quantile(sampled, v, false);
    return sample_x ? bm::cdf(y, q) : bm::cdf(bm::complement(x, q));
  };
  // Not const: Boost 1.74 declares the two-argument integrate() const but defines it non-const.
  bm::quadrature::tanh_sinh<double> quadrature;
  return quadrature.integrate(integrand, kTail, upper, kQuadratureTolerance);
}

// P(X > Y) for independent X ~ x and Y ~ y. The expectation is taken over the narrower variable:
// the other one's CDF then varies no faster than the quantiles move, so the integrand is smooth.
// When that variable's mean exceeds 1/2 both are mirrored, P(X > Y) = P(1 - Y > 1 - X) with
// 1 - X ~ Beta(b, a), since doubles resolve x near 1 only to 1e-16 absolutely.
double probability_greater(const Beta& x, const Beta& y) {
  const bool sample_x = beta_variance(x) <= beta_variance(y);
  if (bm::mean(sample_x ? x : y) <= 0.5) return quantile_integral(x, y, sample_x);
  // 1 - Y plays X's part and 1 - X plays Y's: the sampled variable keeps its role.
  return quantile_integral(Beta(y.beta(), y.alpha()), Beta(x.beta(), x.alpha()), !sample_x);
}

}  // namespace

double beta_binomial_beat_probability(double successes_t, double trials_t, double successes_c,
                                      double trials_c, double prior_a, double prior_b) {
  require_counts(successes_t, trials_t, "treatment");
  require_counts(successes_c, trials_c, "control");
  if (!(prior_a > 0.0 && prior_b > 0.0 && std::isfinite(prior_a) && std::isfinite(prior_b))) {
    throw std::invalid_argument(
        "beta_binomial_beat_probability: prior parameters must be finite and > 0");
  }
  const Beta treatment(prior_a + successes_t, prior_b + trials_t - successes_t);
  const Beta control(prior_a + successes_c, prior_b + trials_c - successes_c);
  return std::clamp(probability_greater(treatment, control), 0.0, 1.0);
}

double normal_beat_probability(const TestResult& result) {
  if (!result.valid) return std::numeric_limits<double>::quiet_NaN();
  return bm::cdf(bm::normal_distribution<double>(), result.estimate / result.se);
}

}  // namespace marketsim
