// PredictionMetrics: streaming, mergeable quality metrics of one model's CTR/CVR predictions.
#pragma once

#include <array>
#include <cstdint>

#include "analysis/metrics/binned_auc.h"

namespace marketsim {

// Accumulates (prediction, observed label, true probability) triples, one per impression (or
// click, for CVR), for one model over one time window; windows merge into whole runs and runs into
// ensembles. Metrics against the observed labels measure what an experimenter could see;
// metrics against the simulator's true probabilities measure the model's actual error.
//
// Reliability bins: kReliabilityBins equal-width bins on [0, reliability_upper] (see
// reliability_bin; predictions >= upper fall in the last bin). CTRs are small, so a scenario may
// pick an upper of e.g. 0.2 to resolve them.
//
// NaN conventions: every metric is NaN on an empty accumulator; auc(), auc_max_error() and
// normalized_entropy() are also NaN while all labels seen are equal; calibration_ratio() is NaN
// while no label is positive, calibration_ratio_truth() while the true probabilities sum to 0;
// the bin means are NaN for an empty bin.
//
// Cost: add() is O(1); its only allocation is the 32 KiB AUC histogram on the first add (see
// BinnedAuc), so an empty window costs about 400 bytes. Results are deterministic given the
// order of add() and merge() calls. Copyable; not thread-safe (one per model, window and run).
//   PredictionMetrics m(0.2);
//   m.add(0.03, false, 0.025);
//   m.add(0.05, true, 0.06);
//   m.auc();  // 1.0
class PredictionMetrics {
 public:
  static constexpr int kReliabilityBins = 10;

  // Throws std::invalid_argument unless reliability_upper is finite and > 0.
  explicit PredictionMetrics(double reliability_upper = 1.0);

  // Counts one example. Throws std::invalid_argument, counting nothing, unless `prediction` and
  // `true_probability` are in [0, 1].
  void add(double prediction, bool label, double true_probability);

  // Adds everything `other` has counted, as if its add() calls had been made here (sums are
  // added, so results may differ from that in the last bits). Throws std::invalid_argument when
  // the two reliability uppers differ.
  void merge(const PredictionMetrics& other);

  double reliability_upper() const { return upper_; }

  // Number of examples added.
  double count() const;

  // Binned ROC AUC of the predictions against the labels, within auc_max_error() of the exact
  // Mann-Whitney AUC (resolution 0.0117 logits; see BinnedAuc).
  double auc() const { return auc_.auc(); }
  double auc_max_error() const { return auc_.max_error(); }

  // Mean log loss, nats, predictions clamped to [1e-15, 1 - 1e-15] (see example_log_loss).
  double log_loss() const;

  // log_loss() over the entropy of the observed base rate (see normalized_entropy).
  double normalized_entropy() const;

  // Mean prediction, observed positive rate and mean true probability (NaN when empty).
  double mean_prediction() const;
  double observed_rate() const;
  double mean_truth() const;

  // Sum of predictions / number of positive labels: mean predicted over observed rate (1 when
  // calibrated in the large, > 1 when over-predicting).
  double calibration_ratio() const;

  // Expected calibration error against the labels over the reliability bins (see
  // expected_calibration_error).
  double ece() const;

  // Sum of predictions / sum of true probabilities.
  double calibration_ratio_truth() const;

  // Expected calibration error against the true probabilities over the reliability bins; exactly
  // 0 when every prediction equals its true probability.
  double ece_truth() const;

  // Root mean squared difference between prediction and true probability.
  double rmse_truth() const;

  // Per reliability bin `bin` in [0, kReliabilityBins) (std::out_of_range otherwise): the number
  // of examples, and their mean prediction, observed positive rate and mean true probability.
  double bin_count(int bin) const;
  double bin_predicted(int bin) const;
  double bin_observed(int bin) const;
  double bin_true(int bin) const;

 private:
  struct Bin {
    std::uint64_t count = 0;
    double prediction = 0.0;  // sums over the bin's examples
    double label = 0.0;
    double truth = 0.0;
  };

  const Bin& bin_at(int bin) const;
  Bin totals() const;

  double upper_;
  std::array<Bin, kReliabilityBins> bins_{};
  double log_loss_sum_ = 0.0;
  double squared_error_sum_ = 0.0;  // of prediction - true probability
  BinnedAuc auc_;
};

}  // namespace marketsim
