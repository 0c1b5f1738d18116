// OpeAccumulator: per-request moments for dm, ips and dr, and per-slot sums with their cross
// products for snips and its influence-function standard error.
#include "analysis/statistics/ope_estimators.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace marketsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void require_finite(double value, const char* what) {
  if (!std::isfinite(value)) {
    throw std::invalid_argument(std::string("OpeAccumulator: ") + what + " must be finite");
  }
}

// Standard error of a mean from the per-request moments; NaN with fewer than 2 requests.
double se_of_mean(const MomentSums& sums) { return std::sqrt(sums.variance() / sums.n); }

}  // namespace

const OpeEstimate& OpeResult::estimate(std::string_view name) const {
  for (const OpeEstimate& e : estimates) {
    if (e.name == name) return e;
  }
  std::string valid;
  for (const OpeEstimate& e : estimates) {
    if (!valid.empty()) valid += ", ";
    valid += e.name;
  }
  throw std::out_of_range("OpeResult: no estimator '" + std::string(name) + "' (valid: " + valid +
                          ")");
}

void OpeAccumulator::begin_request(double dm) {
  require_finite(dm, "dm");
  close_request();
  open_ = true;
  current_dm_ = dm;
}

void OpeAccumulator::add_slot(int slot, double weight, double reward, double predicted) {
  if (!open_) throw std::logic_error("OpeAccumulator::add_slot before begin_request");
  if (slot < 0 || slot >= kMaxSlots) {
    throw std::invalid_argument("OpeAccumulator: slot " + std::to_string(slot) + " outside [0, " +
                                std::to_string(kMaxSlots) + ")");
  }
  if (!(weight >= 0.0 && std::isfinite(weight))) {
    throw std::invalid_argument("OpeAccumulator: weight must be finite and >= 0, got " +
                                std::to_string(weight));
  }
  require_finite(reward, "reward");
  require_finite(predicted, "predicted");
  for (const ShownSlot& shown : current_) {
    if (shown.slot == slot) {
      throw std::invalid_argument("OpeAccumulator: slot " + std::to_string(slot) +
                                  " added twice to one request");
    }
  }
  current_.push_back({slot, weight * reward, weight});
  current_ips_ += weight * reward;
  current_correction_ += weight * (reward - predicted);
}

OpeResult OpeAccumulator::result() const {
  OpeAccumulator closed = *this;
  closed.close_request();
  return closed.summarize();
}

void OpeAccumulator::ensure_slot(int slot) {
  if (slot < slot_count_) return;
  const int old_dim = slot_count_ * kFeatures;
  const int new_count = slot + 1;
  const int new_dim = new_count * kFeatures;
  std::vector<double> cross(static_cast<std::size_t>(new_dim) * new_dim, 0.0);
  for (int i = 0; i < old_dim; ++i) {
    std::copy_n(feature_cross_.begin() + i * old_dim, old_dim, cross.begin() + i * new_dim);
  }
  feature_cross_ = std::move(cross);
  feature_sum_.resize(new_dim, 0.0);
  weight_sq_sum_.resize(new_count, 0.0);
  weight_max_.resize(new_count, 0.0);
  slot_count_ = new_count;
}

void OpeAccumulator::close_request() {
  if (!open_) return;
  dm_.add(current_dm_);
  ips_.add(current_ips_);
  dr_.add(current_dm_ + current_correction_);
  for (const ShownSlot& shown : current_) ensure_slot(shown.slot);
  const int dim = slot_count_ * kFeatures;
  for (const ShownSlot& p : current_) {
    const double zp[kFeatures] = {p.weighted_reward, p.weight, 1.0};
    for (int i = 0; i < kFeatures; ++i) feature_sum_[p.slot * kFeatures + i] += zp[i];
    weight_sq_sum_[p.slot] += p.weight * p.weight;
    weight_max_[p.slot] = std::max(weight_max_[p.slot], p.weight);
    for (const ShownSlot& q : current_) {
      const double zq[kFeatures] = {q.weighted_reward, q.weight, 1.0};
      for (int i = 0; i < kFeatures; ++i) {
        double* row = &feature_cross_[(p.slot * kFeatures + i) * dim + q.slot * kFeatures];
        for (int j = 0; j < kFeatures; ++j) row[j] += zp[i] * zq[j];
      }
    }
  }
  open_ = false;
  current_dm_ = current_ips_ = current_correction_ = 0.0;
  current_.clear();
}

// snips as a smooth function of means. Per request i and slot s let a_is = w_is r_is, b_is = w_is
// and h_is = 1 if request i showed slot s (all 0 otherwise), and let abar_s, bbar_s, hbar_s be
// their means over the N requests. Then
//   V = sum_s (N_s / N) (sum_i a_is / sum_i b_is) = sum_s hbar_s abar_s / bbar_s = g(zbar),
// with z_i the vector of all (a_is, b_is, h_is). By the delta method V - g(mu) ~= grad g .
// (zbar - mu), so Var(V) ~= Var(IF_i) / N for the influence function IF_i = grad g . (z_i - zbar),
// whose partial derivatives at zbar are, with R_s = abar_s / bbar_s,
//   dg/dabar_s = hbar_s / bbar_s,  dg/dbbar_s = -hbar_s abar_s / bbar_s^2 = -(hbar_s / bbar_s) R_s,
//   dg/dhbar_s = R_s,
// so IF_i = sum_s [(hbar_s / bbar_s) (a_is - R_s b_is) + R_s (h_is - hbar_s)]: the slot's
// self-normalized residual plus the sampling noise of how often the slot is shown (zero when
// every request shows it). IF is linear in z_i, so with beta = grad g,
//   sum_i IF_i^2 = beta' (sum_i z_i z_i') beta - N (beta' zbar)^2,  where beta' zbar = V,
// and Var(IF) is estimated by that sum over N - 1: only the sums and cross products of z are kept.
double OpeAccumulator::snips_value_and_variance(double& variance) const {
  const double n = dm_.n;
  const int dim = slot_count_ * kFeatures;
  std::vector<double> beta(dim, 0.0);
  double value = 0.0;
  for (int s = 0; s < slot_count_; ++s) {
    const double a = feature_sum_[s * kFeatures];
    const double b = feature_sum_[s * kFeatures + 1];
    const double shown = feature_sum_[s * kFeatures + 2];
    if (shown == 0.0) continue;
    if (b == 0.0) {
      variance = kNaN;
      return kNaN;
    }
    const double r = a / b;
    value += shown / n * r;
    beta[s * kFeatures] = shown / b;  // hbar / bbar
    beta[s * kFeatures + 1] = -shown / b * r;
    beta[s * kFeatures + 2] = r;
  }
  double quadratic = 0.0;
  for (int i = 0; i < dim; ++i) {
    if (beta[i] == 0.0) continue;
    double row = 0.0;
    for (int j = 0; j < dim; ++j) row += feature_cross_[i * dim + j] * beta[j];
    quadratic += beta[i] * row;
  }
  variance = n >= 2 ? std::max(0.0, (quadratic - n * value * value) / (n - 1.0)) : kNaN;
  return value;
}

OpeResult OpeAccumulator::summarize() const {
  OpeResult result;
  const double n = dm_.n;
  result.requests = n;
  double snips_variance = kNaN;
  const double snips = n > 0 ? snips_value_and_variance(snips_variance) : kNaN;
  result.estimates = {{{"dm", dm_.mean(), se_of_mean(dm_)},
                       {"ips", ips_.mean(), se_of_mean(ips_)},
                       {"snips", snips, std::sqrt(snips_variance / n)},
                       {"dr", dr_.mean(), se_of_mean(dr_)}}};
  double weight_sum = 0.0;
  double weight_sq_sum = 0.0;
  for (int s = 0; s < slot_count_; ++s) {
    const double shown = feature_sum_[s * kFeatures + 2];
    if (shown == 0.0) continue;
    const double w = feature_sum_[s * kFeatures + 1];
    const double w2 = weight_sq_sum_[s];
    result.slots.push_back({s, shown, w / shown, weight_max_[s], w2 > 0.0 ? w * w / w2 : 0.0});
    weight_sum += w;
    weight_sq_sum += w2;
    result.max_weight = std::max(result.max_weight, weight_max_[s]);
  }
  result.effective_sample_size =
      weight_sq_sum > 0.0 ? weight_sum * weight_sum / weight_sq_sum : 0.0;
  return result;
}

}  // namespace marketsim
