// Exact AUC, log loss, normalized entropy and ECE: hand-computed cases and edge conventions.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "analysis/metrics/binary_metrics.h"
#include "sim/core/rng.h"

using namespace marketsim;

namespace {

using Labels = std::vector<std::uint8_t>;
using Values = std::vector<double>;

constexpr double kInf = std::numeric_limits<double>::infinity();

// AUC by enumerating every positive-negative pair (the definition), O(n^2).
double pairwise_auc(const Values& scores, const Labels& labels) {
  double won = 0.0, pairs = 0.0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    for (std::size_t j = 0; j < scores.size(); ++j) {
      if (!labels[i] || labels[j]) continue;
      pairs += 1.0;
      won += scores[i] > scores[j] ? 1.0 : scores[i] == scores[j] ? 0.5 : 0.0;
    }
  }
  return won / pairs;
}

}  // namespace

TEST_CASE("exact AUC is the share of pairs a positive wins, ties one half", "[metrics]") {
  // Positives 0.35, 0.8; negatives 0.1, 0.4. 0.35 beats 0.1 only, 0.8 beats both: 3 of 4 pairs.
  CHECK(exact_auc(Values{0.1, 0.4, 0.35, 0.8}, Labels{0, 0, 1, 1}) == 0.75);
  // Positives 0.5, 0.9, 0.5; negatives 0.2, 0.5. Each 0.5 positive: 1 (vs 0.2) + 1/2 (tie);
  // 0.9: 2. (1.5 + 2 + 1.5) / (3 x 2) = 5/6.
  CHECK(exact_auc(Values{0.2, 0.5, 0.5, 0.9, 0.5}, Labels{0, 1, 0, 1, 1}) == Approx(5.0 / 6.0));
  // All tied: every pair counts one half.
  CHECK(exact_auc(Values{0.3, 0.3, 0.3}, Labels{1, 0, 7}) == 0.5);
  // Perfectly reversed, with infinite scores allowed.
  CHECK(exact_auc(Values{kInf, 1.0, -kInf, -2.0}, Labels{0, 0, 1, 1}) == 0.0);
}

TEST_CASE("exact AUC is NaN with one class and rejects bad input", "[metrics]") {
  CHECK(std::isnan(exact_auc(Values{0.1, 0.9}, Labels{1, 1})));
  CHECK(std::isnan(exact_auc(Values{0.1, 0.9}, Labels{0, 0})));
  CHECK(std::isnan(exact_auc(Values{}, Labels{})));
  CHECK_THROWS_AS(exact_auc(Values{0.1, 0.2}, Labels{1}), std::invalid_argument);
  CHECK_THROWS_AS(exact_auc(Values{0.1, std::nan("")}, Labels{1, 0}), std::invalid_argument);
}

TEST_CASE("exact AUC matches pair enumeration on random data with many ties", "[metrics]") {
  RngStream rng({7, 0}, "metrics_test", 0);
  Values scores;
  Labels labels;
  for (int i = 0; i < 300; ++i) {
    const double s = std::floor(rng.uniform() * 20.0) / 20.0;  // 20 distinct values: many ties
    scores.push_back(s);
    labels.push_back(rng.uniform() < 0.2 + 0.6 * s ? 1 : 0);
  }
  CHECK(exact_auc(scores, labels) == Approx(pairwise_auc(scores, labels)).epsilon(1e-12));
}

TEST_CASE("log loss and normalized entropy of small samples", "[metrics]") {
  // -ln 0.9 = 0.1053605, -ln(1 - 0.2) = 0.2231436, -ln(1 - 0.6) = 0.9162907, -ln 0.5 = 0.6931472;
  // sum 1.9379420, mean 0.4844855. Base rate 1/2: entropy ln 2, NE = 0.4844855 / 0.6931472
  // = 0.6989648.
  const double four = mean_log_loss(Values{0.9, 0.2, 0.6, 0.5}, Labels{1, 0, 0, 1});
  CHECK(four == Approx(0.4844855).epsilon(1e-6));
  CHECK(normalized_entropy(four, 0.5) == Approx(0.6989648).epsilon(1e-6));
  // -ln 0.8 = 0.2231436, -ln 0.7 = 0.3566749, -ln 0.9 = 0.1053605; mean 0.2283930. Base rate
  // 1/3: entropy (1/3) ln 3 + (2/3) ln 1.5 = 0.3662041 + 0.2703101 = 0.6365142; NE = 0.3588184.
  const double three = mean_log_loss(Values{0.8, 0.3, 0.1}, Labels{1, 0, 0});
  CHECK(three == Approx(0.2283930).epsilon(1e-6));
  CHECK(normalized_entropy(three, 1.0 / 3.0) == Approx(0.3588184).epsilon(1e-6));
  // Predicting the base rate 1/4 everywhere: log loss = entropy of 1/4, so NE = 1.
  const double constant = mean_log_loss(Values{0.25, 0.25, 0.25, 0.25}, Labels{1, 0, 0, 0});
  CHECK(constant == Approx(0.5623351).epsilon(1e-6));  // -(0.25 ln 0.25 + 0.75 ln 0.75)
  CHECK(normalized_entropy(constant, 0.25) == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("log loss clamps predictions to [1e-15, 1 - 1e-15]", "[metrics]") {
  CHECK(example_log_loss(0.0, true) == Approx(34.5387764).epsilon(1e-9));  // -ln 1e-15
  // 1 - 1e-15 rounds to 1 - 9.992007e-16 in double: -ln 9.992007e-16 = 34.5395760.
  CHECK(example_log_loss(1.0, false) == Approx(34.5395760).epsilon(1e-9));
  CHECK(example_log_loss(1.0, true) == Approx(1e-15).epsilon(1e-3));  // -ln(1 - 1e-15)
  CHECK(example_log_loss(0.0, false) == Approx(1e-15).epsilon(1e-3));
  CHECK(std::isnan(mean_log_loss(Values{}, Labels{})));
  CHECK_THROWS_AS(mean_log_loss(Values{1.5}, Labels{1}), std::invalid_argument);
  CHECK_THROWS_AS(mean_log_loss(Values{std::nan("")}, Labels{1}), std::invalid_argument);
  CHECK_THROWS_AS(mean_log_loss(Values{0.5, 0.5}, Labels{1}), std::invalid_argument);
}

TEST_CASE("normalized entropy is NaN at a degenerate base rate", "[metrics]") {
  CHECK(std::isnan(normalized_entropy(0.3, 0.0)));
  CHECK(std::isnan(normalized_entropy(0.3, 1.0)));
  CHECK(std::isnan(normalized_entropy(0.3, std::nan(""))));
  CHECK(std::isnan(normalized_entropy(std::nan(""), 0.5)));
}

TEST_CASE("reliability bins are equal-width on [0, upper], the last one open above", "[metrics]") {
  CHECK(reliability_bin(0.0, 10, 0.2) == 0);
  CHECK(reliability_bin(0.05, 10, 0.2) == 2);  // 0.05 / 0.2 x 10 = 2.5
  CHECK(reliability_bin(0.1, 10, 0.2) == 5);   // a lower edge belongs to its bin
  CHECK(reliability_bin(0.2, 10, 0.2) == 9);   // upper itself: last bin
  CHECK(reliability_bin(0.9, 10, 0.2) == 9);
  CHECK(reliability_bin(1.0, 4, 1.0) == 3);
}

TEST_CASE("ECE against labels and against true probabilities", "[metrics]") {
  // Four bins of width 0.25 on [0, 1]:
  //   bin 0: predictions 0.1, 0.2 (sum 0.3); bin 1: 0.3; bin 2: 0.6, 0.7 (sum 1.3); bin 3: 0.95.
  const Values predictions{0.1, 0.2, 0.3, 0.6, 0.7, 0.95};
  // Labels 0,1 | 0 | 1,0 | 1: |0.3 - 1| + |0.3 - 0| + |1.3 - 1| + |0.95 - 1|
  // = 0.7 + 0.3 + 0.3 + 0.05 = 1.35; / 6 = 0.225.
  const Values labels{0, 1, 0, 1, 0, 1};
  CHECK(expected_calibration_error(predictions, labels, 4, 1.0) == Approx(0.225));
  // Truth 0.1,0.1 | 0.2 | 0.5,0.5 | 1.0: |0.3 - 0.2| + |0.3 - 0.2| + |1.3 - 1.0| + |0.95 - 1.0|
  // = 0.1 + 0.1 + 0.3 + 0.05 = 0.55; / 6 = 0.0916667.
  const Values truth{0.1, 0.1, 0.2, 0.5, 0.5, 1.0};
  CHECK(expected_calibration_error(predictions, truth, 4, 1.0) == Approx(0.55 / 6.0));
  // Upper 0.5 with 2 bins (width 0.25): bin 0 = {0.1, 0.2}, bin 1 = everything >= 0.25.
  // Labels: |0.3 - 1| + |(0.3 + 0.6 + 0.7 + 0.95) - 2| = 0.7 + 0.55 = 1.25; / 6.
  CHECK(expected_calibration_error(predictions, labels, 2, 0.5) == Approx(1.25 / 6.0));
  // A perfect predictor of the truth has ECE exactly 0.
  CHECK(expected_calibration_error(truth, truth, 10, 1.0) == 0.0);
}

TEST_CASE("ECE is NaN on empty input and rejects bad input", "[metrics]") {
  CHECK(std::isnan(expected_calibration_error(Values{}, Values{}, 10, 1.0)));
  CHECK_THROWS_AS(expected_calibration_error(Values{0.1}, Values{}, 10, 1.0),
                  std::invalid_argument);
  CHECK_THROWS_AS(expected_calibration_error(Values{0.1}, Values{1}, 0, 1.0),
                  std::invalid_argument);
  CHECK_THROWS_AS(expected_calibration_error(Values{0.1}, Values{1}, 10, 0.0),
                  std::invalid_argument);
  CHECK_THROWS_AS(expected_calibration_error(Values{1.1}, Values{1}, 10, 1.0),
                  std::invalid_argument);
  CHECK_THROWS_AS(expected_calibration_error(Values{0.1}, Values{-0.1}, 10, 1.0),
                  std::invalid_argument);
}
