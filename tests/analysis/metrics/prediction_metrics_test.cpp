// PredictionMetrics: hand-computed window, agreement with the exact functions, merging, and a
// calibrated random predictor checked against binomial theory.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "analysis/metrics/binary_metrics.h"
#include "analysis/metrics/prediction_metrics.h"
#include "sim/core/rng.h"

using namespace marketsim;

namespace {

constexpr int kBins = PredictionMetrics::kReliabilityBins;

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Triples kept whole for the exact functions.
struct Triples {
  std::vector<double> predictions;
  std::vector<std::uint8_t> labels;
  std::vector<double> label_values;  // labels as 0.0 / 1.0 targets for expected_calibration_error
  std::vector<double> truths;

  void add(double prediction, bool label, double truth) {
    predictions.push_back(prediction);
    labels.push_back(label ? 1 : 0);
    label_values.push_back(label ? 1.0 : 0.0);
    truths.push_back(truth);
  }
};

// Predictions with logits uniform on [-6, 0], true probabilities a logit-noisy version of them,
// labels drawn from the truth: a miscalibrated model with every metric in play.
Triples noisy_model(int n, std::uint32_t entity) {
  RngStream rng({42, 0}, "metrics_test", entity);
  Triples t;
  for (int i = 0; i < n; ++i) {
    const double logit = -6.0 + 6.0 * rng.uniform();
    const double prediction = sigmoid(logit);
    const double truth = sigmoid(logit + 0.8 * (rng.uniform() - 0.3));
    t.add(prediction, rng.uniform() < truth, truth);
  }
  return t;
}

}  // namespace

TEST_CASE("prediction metrics are NaN when empty", "[metrics]") {
  const PredictionMetrics m;
  CHECK(m.count() == 0.0);
  CHECK(m.reliability_upper() == 1.0);
  for (double v : {m.auc(), m.auc_max_error(), m.log_loss(), m.normalized_entropy(),
                   m.calibration_ratio(), m.ece(), m.calibration_ratio_truth(), m.ece_truth(),
                   m.rmse_truth(), m.bin_predicted(0), m.bin_observed(0), m.bin_true(0)}) {
    CHECK(std::isnan(v));
  }
  CHECK(m.bin_count(0) == 0.0);
  CHECK(sizeof(PredictionMetrics) <= 512);  // the AUC histogram is on the heap, allocated lazily
}

TEST_CASE("prediction metrics of a hand-computed window", "[metrics]") {
  // Reliability bins of width 0.02 on [0, 0.2]: 0.01 and 0.015 -> bin 0, 0.07 -> bin 3,
  // 0.5 -> bin 9 (>= upper).
  PredictionMetrics m(0.2);
  m.add(0.01, false, 0.02);
  m.add(0.015, true, 0.01);
  m.add(0.5, true, 0.4);
  m.add(0.07, false, 0.07);
  CHECK(m.count() == 4.0);
  CHECK(m.bin_count(0) == 2.0);
  CHECK(m.bin_predicted(0) == Approx(0.0125));
  CHECK(m.bin_observed(0) == 0.5);
  CHECK(m.bin_true(0) == Approx(0.015));
  CHECK(m.bin_count(3) == 1.0);
  CHECK(m.bin_observed(3) == 0.0);
  CHECK(m.bin_count(9) == 1.0);
  CHECK(m.bin_true(9) == 0.4);
  CHECK(m.bin_count(5) == 0.0);
  CHECK(std::isnan(m.bin_predicted(5)));
  CHECK(std::isnan(m.bin_observed(5)));
  CHECK(std::isnan(m.bin_true(5)));
  // Positives 0.015, 0.5; negatives 0.01, 0.07 (all in different AUC bins): 0.015 beats 0.01,
  // 0.5 beats both: 3/4.
  CHECK(m.auc() == 0.75);
  CHECK(m.auc_max_error() == 0.0);
  // (-ln 0.99 - ln 0.015 - ln 0.5 - ln 0.93) / 4 = 1.2438683; NE = that / ln 2 = 1.7945227.
  CHECK(m.log_loss() == Approx(1.2438683).epsilon(1e-7));
  CHECK(m.normalized_entropy() == Approx(1.7945227).epsilon(1e-7));
  // Predictions sum to 0.595 against 2 positives and true probabilities summing to 0.5.
  CHECK(m.calibration_ratio() == Approx(0.2975));
  CHECK(m.calibration_ratio_truth() == Approx(1.19));
  // Labels: (|0.025 - 1| + |0.07 - 0| + |0.5 - 1|) / 4 = 1.545 / 4.
  CHECK(m.ece() == Approx(0.38625));
  // Truth: (|0.025 - 0.03| + |0.07 - 0.07| + |0.5 - 0.4|) / 4 = 0.105 / 4.
  CHECK(m.ece_truth() == Approx(0.02625));
  // Errors -0.01, 0.005, 0.1, 0: sqrt((1e-4 + 2.5e-5 + 1e-2) / 4) = 0.0503115.
  CHECK(m.rmse_truth() == Approx(0.0503115).epsilon(1e-6));
}

TEST_CASE("prediction metrics reject bad input and undefined ratios are NaN", "[metrics]") {
  CHECK_THROWS_AS(PredictionMetrics(0.0), std::invalid_argument);
  CHECK_THROWS_AS(PredictionMetrics(std::nan("")), std::invalid_argument);
  PredictionMetrics m(0.2);
  CHECK_THROWS_AS(m.add(1.2, true, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(m.add(0.5, true, std::nan("")), std::invalid_argument);
  CHECK(m.count() == 0.0);  // a rejected example counts nowhere
  CHECK_THROWS_AS(m.bin_count(kBins), std::out_of_range);
  CHECK_THROWS_AS(m.bin_true(-1), std::out_of_range);
  m.add(0.1, false, 0.0);
  m.add(0.3, false, 0.0);
  CHECK(std::isnan(m.auc()));                      // no positive
  CHECK(std::isnan(m.normalized_entropy()));       // base rate 0
  CHECK(std::isnan(m.calibration_ratio()));        // no positive label
  CHECK(std::isnan(m.calibration_ratio_truth()));  // true probabilities sum to 0
  CHECK(m.ece() == Approx(0.2));                   // (|0.1 - 0| + |0.3 - 0|) / 2
  CHECK(m.log_loss() == Approx(-(std::log(0.9) + std::log(0.7)) / 2));
}

TEST_CASE("prediction metrics equal the exact functions on the same data", "[metrics]") {
  const Triples t = noisy_model(5000, 0);
  PredictionMetrics m(0.2);
  for (std::size_t i = 0; i < t.predictions.size(); ++i) {
    m.add(t.predictions[i], t.labels[i] != 0, t.truths[i]);
  }
  double prediction_sum = 0, label_sum = 0, truth_sum = 0, squared_error_sum = 0;
  for (std::size_t i = 0; i < t.predictions.size(); ++i) {
    prediction_sum += t.predictions[i];
    label_sum += t.label_values[i];
    truth_sum += t.truths[i];
    squared_error_sum += (t.predictions[i] - t.truths[i]) * (t.predictions[i] - t.truths[i]);
  }
  const double n = 5000.0;
  CHECK(m.count() == n);
  // Same sums in the same order: equal to the last bit.
  CHECK(m.log_loss() == mean_log_loss(t.predictions, t.labels));
  CHECK(m.normalized_entropy() == normalized_entropy(m.log_loss(), label_sum / n));
  CHECK(m.ece() == expected_calibration_error(t.predictions, t.label_values, kBins, 0.2));
  CHECK(m.ece_truth() == expected_calibration_error(t.predictions, t.truths, kBins, 0.2));
  // Sums regrouped by bin: equal up to rounding.
  CHECK(m.calibration_ratio() == Approx(prediction_sum / label_sum).epsilon(1e-12));
  CHECK(m.calibration_ratio_truth() == Approx(prediction_sum / truth_sum).epsilon(1e-12));
  CHECK(m.rmse_truth() == Approx(std::sqrt(squared_error_sum / n)).epsilon(1e-12));
  // The AUC within its stated bound (plus the rounding of two quotients).
  CHECK(std::abs(m.auc() - exact_auc(t.predictions, t.labels)) <= m.auc_max_error() + 1e-15);
  double binned = 0;
  for (int b = 0; b < kBins; ++b) binned += m.bin_count(b);
  CHECK(binned == n);
}

TEST_CASE("merging windows equals adding everything to one accumulator", "[metrics]") {
  const Triples t = noisy_model(3000, 1);
  PredictionMetrics all(0.2);
  std::vector<PredictionMetrics> windows(3, PredictionMetrics(0.2));
  for (std::size_t i = 0; i < t.predictions.size(); ++i) {
    all.add(t.predictions[i], t.labels[i] != 0, t.truths[i]);
    windows[i * 3 / t.predictions.size()].add(t.predictions[i], t.labels[i] != 0, t.truths[i]);
  }
  PredictionMetrics merged(0.2);
  merged.merge(PredictionMetrics(0.2));  // an empty window changes nothing
  for (const PredictionMetrics& w : windows) merged.merge(w);
  CHECK(merged.count() == all.count());
  CHECK(merged.auc() == all.auc());  // integer counts: exact
  CHECK(merged.auc_max_error() == all.auc_max_error());
  CHECK(merged.log_loss() == Approx(all.log_loss()).epsilon(1e-12));
  CHECK(merged.normalized_entropy() == Approx(all.normalized_entropy()).epsilon(1e-12));
  CHECK(merged.calibration_ratio() == Approx(all.calibration_ratio()).epsilon(1e-12));
  CHECK(merged.ece() == Approx(all.ece()).epsilon(1e-12));
  CHECK(merged.calibration_ratio_truth() == Approx(all.calibration_ratio_truth()).epsilon(1e-12));
  CHECK(merged.ece_truth() == Approx(all.ece_truth()).epsilon(1e-12));
  CHECK(merged.rmse_truth() == Approx(all.rmse_truth()).epsilon(1e-12));
  for (int b = 0; b < kBins; ++b) {
    CHECK(merged.bin_count(b) == all.bin_count(b));
    if (all.bin_count(b) == 0) continue;
    CHECK(merged.bin_predicted(b) == Approx(all.bin_predicted(b)).epsilon(1e-12));
    CHECK(merged.bin_observed(b) == all.bin_observed(b));
    CHECK(merged.bin_true(b) == Approx(all.bin_true(b)).epsilon(1e-12));
  }
  CHECK_THROWS_AS(merged.merge(PredictionMetrics(0.1)), std::invalid_argument);
}

TEST_CASE("a calibrated random predictor is calibrated within binomial error", "[metrics]") {
  // Predictions uniform on [0.01, 0.2], labels Bernoulli(prediction), truth = prediction. The
  // number of positives in a set S has mean sum_S p and variance V_S = sum_S p (1 - p); we accept
  // |positives_S - sum_S p| <= 4 sqrt(V_S) (normal approximation: a fresh seed fails one such
  // check with probability 6e-5; the seed here is fixed). For the whole sample that is
  // |calibration ratio - 1| <= 4 sqrt(V) / positives, with V ~= 1820 and ~2100 positives: ~0.08.
  RngStream rng({2024, 0}, "metrics_test", 9);
  PredictionMetrics m(0.2);
  std::vector<double> variance(kBins, 0.0);
  double positives = 0.0;
  for (int i = 0; i < 20000; ++i) {
    const double p = 0.01 + 0.19 * rng.uniform();
    const bool label = rng.uniform() < p;
    m.add(p, label, p);
    positives += label ? 1.0 : 0.0;
    variance[reliability_bin(p, kBins, 0.2)] += p * (1.0 - p);
  }
  double total_variance = 0.0, ece_bound = 0.0;
  for (int b = 0; b < kBins; ++b) {
    total_variance += variance[b];
    ece_bound += 4.0 * std::sqrt(variance[b]) / m.count();
    // Bin b: |positives_b - sum_b p| = |observed - predicted| n_b.
    CHECK(std::abs(m.bin_observed(b) - m.bin_predicted(b)) * m.bin_count(b) <=
          4.0 * std::sqrt(variance[b]));
  }
  CHECK(std::abs(m.calibration_ratio() - 1.0) <= 4.0 * std::sqrt(total_variance) / positives);
  // ECE = sum_b |positives_b - sum_b p| / n, so the per-bin bands add up to its bound.
  CHECK(m.ece() <= ece_bound);
  // Against the truth the predictor is perfect: identical sums, so exact zeros and ones.
  CHECK(m.ece_truth() == 0.0);
  CHECK(m.calibration_ratio_truth() == 1.0);
  CHECK(m.rmse_truth() == 0.0);
}
