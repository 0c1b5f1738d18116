// mSPRT: the normal-mixture likelihood ratio in log space and its running-minimum p-value.
#include "analysis/statistics/msprt.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace marketsim {

namespace {

void require_positive(double value, const char* what) {
  if (!(value > 0.0 && std::isfinite(value))) {
    throw std::invalid_argument(std::string(what) + " must be finite and > 0, got " +
                                std::to_string(value));
  }
}

}  // namespace

double msprt_log_likelihood_ratio(double estimate, double variance, double tau) {
  require_positive(tau, "msprt: tau");
  if (!std::isfinite(estimate) || !(variance > 0.0 && std::isfinite(variance))) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const double tau2 = tau * tau;
  return 0.5 * std::log(variance / (variance + tau2)) +
         tau2 * estimate * estimate / (2.0 * variance * (variance + tau2));
}

double msprt_likelihood_ratio(double estimate, double variance, double tau) {
  return std::exp(msprt_log_likelihood_ratio(estimate, variance, tau));
}

double msprt_p_value(double estimate, double variance, double tau) {
  const double log_lr = msprt_log_likelihood_ratio(estimate, variance, tau);
  if (std::isnan(log_lr)) return log_lr;
  return std::min(1.0, std::exp(-log_lr));
}

double msprt_tau_for_effect_size(double effect_size, double unit_sd) {
  require_positive(effect_size, "msprt_tau_for_effect_size: effect_size");
  require_positive(unit_sd, "msprt_tau_for_effect_size: unit_sd");
  return effect_size * unit_sd;
}

MsprtPath::MsprtPath(double tau) : tau_(tau) { require_positive(tau, "MsprtPath: tau"); }

double MsprtPath::look(double estimate, double variance) {
  const double p = msprt_p_value(estimate, variance, tau_);
  if (std::isnan(p)) return p_value_;
  p_value_ = std::min(p_value_, p);
  ++looks_;
  return p_value_;
}

double MsprtPath::look(const TestResult& result) {
  if (!result.valid) return p_value_;
  return look(result.estimate, result.se * result.se);
}

}  // namespace marketsim
