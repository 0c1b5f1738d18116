// Always-valid p-values for continuously monitored A/B tests: the mixture SPRT with a normal
// mixing distribution (Johari, Pekelis, Walsh 2017, "Always valid inference").
#pragma once

#include "analysis/statistics/test_result.h"

namespace marketsim {

// The mixture likelihood ratio of H1: theta ~ N(0, tau^2) against H0: theta = 0 for a difference
// estimate theta_hat ~ N(theta, V):
//   Lambda = sqrt(V / (V + tau^2)) exp(tau^2 theta_hat^2 / (2 V (V + tau^2))).
// For a two-arm comparison theta_hat = mean_t - mean_c and V = s_t^2 / n_t + s_c^2 / n_c (the
// square of welch_test's se). To test theta = theta0, pass estimate - theta0.
//
// tau (metric units, > 0) is the standard deviation of the effects the test is tuned to detect:
// any tau > 0 keeps the type I error guarantee, and the test has the most power against effects
// of about tau at the sample size reached. Pick it from the spread of effects seen in past
// experiments, or from a minimum effect of interest with msprt_tau_for_effect_size.
//
// The guarantee P(p ever <= alpha | H0) <= alpha is exact for normal data of known variance;
// plugging in the sample variance, as here, makes it hold approximately once each arm has a few
// hundred units (the validation test checks 14 daily looks from 200 units per arm).
//
// Returns log Lambda; NaN unless estimate is finite and variance finite and > 0. Throws
// std::invalid_argument unless tau is finite and > 0.
double msprt_log_likelihood_ratio(double estimate, double variance, double tau);

// exp(msprt_log_likelihood_ratio(...)); +infinity when that overflows.
double msprt_likelihood_ratio(double estimate, double variance, double tau);

// The p-value of a single look, min(1, 1 / Lambda). Over several looks use MsprtPath, which keeps
// the running minimum that makes the p-value always valid. NaN for an invalid look (see
// msprt_log_likelihood_ratio).
double msprt_p_value(double estimate, double variance, double tau);

// tau for an effect of `effect_size` per-unit standard deviations (Cohen's d, e.g. 0.05) of a
// metric whose per-unit standard deviation is `unit_sd` (metric units, e.g. the pooled sd of
// revenue per user in a pre-period): effect_size * unit_sd. Throws std::invalid_argument unless
// both are finite and > 0.
double msprt_tau_for_effect_size(double effect_size, double unit_sd);

// The always-valid p-value along a sequence of looks at one experiment: p_n = min(p_{n-1},
// 1 / Lambda_n), capped at 1, with p_0 = 1. Stop and reject at the first look where p_value() <=
// alpha, or report p_value() whenever asked. Copyable; not thread-safe.
//   MsprtPath path(msprt_tau_for_effect_size(0.05, pre_period_sd));
//   for (each day) path.look(welch_test(treatment_so_far, control_so_far));
//   if (path.p_value() <= 0.05) ...
class MsprtPath {
 public:
  // Throws std::invalid_argument unless tau (metric units) is finite and > 0.
  explicit MsprtPath(double tau);

  // Adds a look with the cumulative difference estimate and its variance (metric units squared)
  // and returns the updated p-value. An invalid look (NaN msprt_log_likelihood_ratio) changes
  // nothing and is not counted.
  double look(double estimate, double variance);

  // look(result.estimate, result.se^2); an invalid result changes nothing and is not counted.
  double look(const TestResult& result);

  // The running always-valid p-value, in [0, 1]; non-increasing from look to look.
  double p_value() const { return p_value_; }

  // Looks counted so far.
  int looks() const { return looks_; }

  double tau() const { return tau_; }

 private:
  double tau_;
  double p_value_ = 1.0;
  int looks_ = 0;
};

}  // namespace marketsim
