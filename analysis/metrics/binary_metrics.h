// Exact metrics of binary-outcome predictions on complete samples: AUC, log loss, NE, ECE.
#pragma once

#include <cstdint>
#include <span>

namespace marketsim {

// Log loss clamps each prediction to [kLogLossClamp, 1 - kLogLossClamp], so one confident mistake
// costs at most about 34.54 nats instead of infinity (scikit-learn's convention): -ln(1e-15) =
// 34.5388 for a missed positive, and 34.5396 for a false positive, since 1 - 1e-15 rounds to
// 1 - 9.992e-16 in double.
inline constexpr double kLogLossClamp = 1e-15;

// Mann-Whitney ROC AUC: the share of (positive, negative) pairs in which the positive scores
// higher, a tie counting one half. A label is positive when nonzero. Scores are any reals
// (+-infinity allowed), only their order matters. NaN when either class is empty (so also on
// empty input). O(n log n) time, O(n) scratch memory. Throws std::invalid_argument when the spans
// differ in size or a score is NaN.
//   exact_auc({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}) == 0.75
double exact_auc(std::span<const double> scores, std::span<const std::uint8_t> labels);

// Log loss of one example in nats: -ln(p) for a positive, -ln(1 - p) for a negative, with p the
// prediction clamped to [kLogLossClamp, 1 - kLogLossClamp]. No validation (hot path): a NaN
// prediction gives NaN.
double example_log_loss(double prediction, bool label);

// Mean of example_log_loss over the sample, nats; a label is positive when nonzero. NaN on empty
// input. Throws std::invalid_argument when the spans differ in size or a prediction is outside
// [0, 1] (NaN included).
double mean_log_loss(std::span<const double> predictions, std::span<const std::uint8_t> labels);

// Normalized entropy (He et al. 2014, "Practical lessons from predicting clicks on ads at
// Facebook"): `mean_log_loss` (nats) divided by the entropy of always predicting the base rate,
// H(r) = -r ln r - (1 - r) ln(1 - r). Below 1 the model beats the constant prediction. NaN unless
// 0 < base_rate < 1 (the constant predictor is then perfect and the ratio undefined); a NaN
// mean_log_loss gives NaN.
double normalized_entropy(double mean_log_loss, double base_rate);

// The reliability bin of a prediction: `bins` equal-width bins on [0, upper], bin b holding
// [b upper / bins, (b + 1) upper / bins) up to the rounding of prediction / upper * bins;
// predictions >= upper go to the last bin, predictions < 0 to the first. Requires bins >= 1,
// upper > 0 and a non-NaN prediction (unchecked: hot path).
int reliability_bin(double prediction, int bins, double upper);

// Expected calibration error: sum over reliability bins b (see reliability_bin) of
// (n_b / n) |mean prediction_b - mean target_b|, computed as sum_b |sum prediction_b -
// sum target_b| / n. Targets are 0/1 labels (ECE against outcomes) or true probabilities (ECE
// against the truth). Empty bins contribute nothing; NaN on empty input. Throws
// std::invalid_argument when the spans differ in size, bins < 1, upper is not finite and > 0, or
// a prediction or target is outside [0, 1] (NaN included).
double expected_calibration_error(std::span<const double> predictions,
                                  std::span<const double> targets, int bins, double upper);

}  // namespace marketsim
