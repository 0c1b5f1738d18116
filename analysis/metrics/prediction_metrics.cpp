// PredictionMetrics: per-bin sums for calibration, running sums for losses, a BinnedAuc for AUC.
#include "analysis/metrics/prediction_metrics.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "analysis/metrics/binary_metrics.h"

namespace marketsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// numerator / denominator, NaN when the denominator is 0.
double ratio(double numerator, double denominator) {
  return denominator == 0.0 ? kNaN : numerator / denominator;
}

}  // namespace

PredictionMetrics::PredictionMetrics(double reliability_upper) : upper_(reliability_upper) {
  if (!(upper_ > 0.0 && std::isfinite(upper_))) {
    throw std::invalid_argument(
        "PredictionMetrics: reliability_upper must be finite and > 0, got " +
        std::to_string(upper_));
  }
}

void PredictionMetrics::add(double prediction, bool label, double true_probability) {
  if (!(prediction >= 0.0 && prediction <= 1.0 && true_probability >= 0.0 &&
        true_probability <= 1.0)) {
    throw std::invalid_argument("PredictionMetrics::add: prediction " + std::to_string(prediction) +
                                " or true probability " + std::to_string(true_probability) +
                                " outside [0, 1]");
  }
  Bin& bin = bins_[reliability_bin(prediction, kReliabilityBins, upper_)];
  ++bin.count;
  bin.prediction += prediction;
  bin.label += label ? 1.0 : 0.0;
  bin.truth += true_probability;
  log_loss_sum_ += example_log_loss(prediction, label);
  const double error = prediction - true_probability;
  squared_error_sum_ += error * error;
  auc_.add(prediction, label);
}

void PredictionMetrics::merge(const PredictionMetrics& other) {
  if (other.upper_ != upper_) {
    throw std::invalid_argument("PredictionMetrics::merge: reliability uppers differ (" +
                                std::to_string(upper_) + " vs " + std::to_string(other.upper_) +
                                ")");
  }
  for (int b = 0; b < kReliabilityBins; ++b) {
    bins_[b].count += other.bins_[b].count;
    bins_[b].prediction += other.bins_[b].prediction;
    bins_[b].label += other.bins_[b].label;
    bins_[b].truth += other.bins_[b].truth;
  }
  log_loss_sum_ += other.log_loss_sum_;
  squared_error_sum_ += other.squared_error_sum_;
  auc_.merge(other.auc_);
}

PredictionMetrics::Bin PredictionMetrics::totals() const {
  Bin t;
  for (const Bin& b : bins_) {
    t.count += b.count;
    t.prediction += b.prediction;
    t.label += b.label;
    t.truth += b.truth;
  }
  return t;
}

double PredictionMetrics::count() const { return static_cast<double>(totals().count); }

double PredictionMetrics::log_loss() const { return ratio(log_loss_sum_, count()); }

double PredictionMetrics::normalized_entropy() const {
  const Bin t = totals();
  return marketsim::normalized_entropy(log_loss(), ratio(t.label, static_cast<double>(t.count)));
}

double PredictionMetrics::mean_prediction() const {
  const Bin t = totals();
  return ratio(t.prediction, static_cast<double>(t.count));
}

double PredictionMetrics::observed_rate() const {
  const Bin t = totals();
  return ratio(t.label, static_cast<double>(t.count));
}

double PredictionMetrics::mean_truth() const {
  const Bin t = totals();
  return ratio(t.truth, static_cast<double>(t.count));
}

double PredictionMetrics::calibration_ratio() const {
  const Bin t = totals();
  return ratio(t.prediction, t.label);
}

double PredictionMetrics::calibration_ratio_truth() const {
  const Bin t = totals();
  return ratio(t.prediction, t.truth);
}

double PredictionMetrics::ece() const {
  double gap = 0.0;
  for (const Bin& b : bins_) gap += std::abs(b.prediction - b.label);
  return ratio(gap, count());
}

double PredictionMetrics::ece_truth() const {
  double gap = 0.0;
  for (const Bin& b : bins_) gap += std::abs(b.prediction - b.truth);
  return ratio(gap, count());
}

double PredictionMetrics::rmse_truth() const {
  return std::sqrt(ratio(squared_error_sum_, count()));
}

const PredictionMetrics::Bin& PredictionMetrics::bin_at(int bin) const {
  if (bin < 0 || bin >= kReliabilityBins) {
    throw std::out_of_range("PredictionMetrics: no reliability bin " + std::to_string(bin));
  }
  return bins_[bin];
}

double PredictionMetrics::bin_count(int bin) const {
  return static_cast<double>(bin_at(bin).count);
}

double PredictionMetrics::bin_predicted(int bin) const {
  const Bin& b = bin_at(bin);
  return ratio(b.prediction, static_cast<double>(b.count));
}

double PredictionMetrics::bin_observed(int bin) const {
  const Bin& b = bin_at(bin);
  return ratio(b.label, static_cast<double>(b.count));
}

double PredictionMetrics::bin_true(int bin) const {
  const Bin& b = bin_at(bin);
  return ratio(b.truth, static_cast<double>(b.count));
}

}  // namespace marketsim
