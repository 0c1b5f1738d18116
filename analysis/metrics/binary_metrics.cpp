// Exact binary-prediction metrics: sort-based AUC, clamped log loss, binned calibration error.
#include "analysis/metrics/binary_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace marketsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void require_same_size(std::size_t a, std::size_t b, const char* function) {
  if (a != b) {
    throw std::invalid_argument(std::string(function) + ": spans differ in size (" +
                                std::to_string(a) + " vs " + std::to_string(b) + ")");
  }
}

void require_probabilities(std::span<const double> values, const char* function) {
  for (double v : values) {
    if (!(v >= 0.0 && v <= 1.0)) {
      throw std::invalid_argument(std::string(function) +
                                  ": value outside [0, 1]: " + std::to_string(v));
    }
  }
}

}  // namespace

double exact_auc(std::span<const double> scores, std::span<const std::uint8_t> labels) {
  require_same_size(scores.size(), labels.size(), "exact_auc");
  std::vector<std::pair<double, bool>> sorted(scores.size());
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (std::isnan(scores[i])) throw std::invalid_argument("exact_auc: NaN score");
    sorted[i] = {scores[i], labels[i] != 0};
  }
  std::sort(sorted.begin(), sorted.end());
  // Walk groups of tied scores upwards; each positive wins against every negative below its group
  // and half-wins against the negatives tied with it.
  double negatives_below = 0.0;
  double pairs_won = 0.0;
  for (std::size_t begin = 0; begin < sorted.size();) {
    double positives = 0.0;
    double negatives = 0.0;
    std::size_t end = begin;
    for (; end < sorted.size() && sorted[end].first == sorted[begin].first; ++end) {
      (sorted[end].second ? positives : negatives) += 1.0;
    }
    pairs_won += positives * (negatives_below + 0.5 * negatives);
    negatives_below += negatives;
    begin = end;
  }
  const double positives = static_cast<double>(sorted.size()) - negatives_below;
  if (positives == 0.0 || negatives_below == 0.0) return kNaN;
  return pairs_won / (positives * negatives_below);
}

double example_log_loss(double prediction, bool label) {
  const double p = std::clamp(prediction, kLogLossClamp, 1.0 - kLogLossClamp);
  return label ? -std::log(p) : -std::log1p(-p);
}

double mean_log_loss(std::span<const double> predictions, std::span<const std::uint8_t> labels) {
  require_same_size(predictions.size(), labels.size(), "mean_log_loss");
  require_probabilities(predictions, "mean_log_loss");
  if (predictions.empty()) return kNaN;
  double sum = 0.0;
  for (std::size_t i = 0; i < predictions.size(); ++i) {
    sum += example_log_loss(predictions[i], labels[i] != 0);
  }
  return sum / static_cast<double>(predictions.size());
}

double normalized_entropy(double mean_log_loss, double base_rate) {
  if (!(base_rate > 0.0 && base_rate < 1.0)) return kNaN;
  const double entropy =
      -base_rate * std::log(base_rate) - (1.0 - base_rate) * std::log1p(-base_rate);
  return mean_log_loss / entropy;
}

int reliability_bin(double prediction, int bins, double upper) {
  return static_cast<int>(std::clamp(prediction / upper * bins, 0.0, bins - 1.0));
}

double expected_calibration_error(std::span<const double> predictions,
                                  std::span<const double> targets, int bins, double upper) {
  require_same_size(predictions.size(), targets.size(), "expected_calibration_error");
  if (bins < 1) throw std::invalid_argument("expected_calibration_error: bins must be >= 1");
  if (!(upper > 0.0 && std::isfinite(upper))) {
    throw std::invalid_argument("expected_calibration_error: upper must be finite and > 0");
  }
  require_probabilities(predictions, "expected_calibration_error");
  require_probabilities(targets, "expected_calibration_error");
  if (predictions.empty()) return kNaN;
  std::vector<double> prediction_sum(bins, 0.0);
  std::vector<double> target_sum(bins, 0.0);
  for (std::size_t i = 0; i < predictions.size(); ++i) {
    const int b = reliability_bin(predictions[i], bins, upper);
    prediction_sum[b] += predictions[i];
    target_sum[b] += targets[i];
  }
  double gap = 0.0;
  for (int b = 0; b < bins; ++b) gap += std::abs(prediction_sum[b] - target_sum[b]);
  return gap / static_cast<double>(predictions.size());
}

}  // namespace marketsim
