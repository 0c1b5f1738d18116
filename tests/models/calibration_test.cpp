// Calibrators: isotonic pool-adjacent-violators blocks and interpolation computed by hand, Platt's
// maximum-likelihood recovery of a known logistic distortion within its standard errors, the
// contract of every registered calibrator (identity before a fit and after a one-class window,
// monotone, clamped), and the ECE of a deliberately miscalibrated model brought down to that of
// the true probabilities.
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/metrics/binary_metrics.h"
#include "models/calibration/calibrator.h"
#include "models/calibration/isotonic.h"
#include "models/calibration/platt.h"
#include "models/sigmoid.h"
#include "sim/core/rng.h"

using namespace marketsim;

namespace {

constexpr double kFloor = 1e-6;  // apply() clamps to [kFloor, 1 - kFloor]

std::unique_ptr<Calibrator> make(const std::string& name) {
  return calibrator_registry().create(name, ParamValues{});
}

// Labels drawn as Bernoulli(truth[i]) from the test stream `stream`.
std::vector<std::uint8_t> draw_labels(const std::vector<double>& truth, std::uint32_t stream) {
  RngStream rng(ReplicationKey{5, 0}, "calibration_test.labels", stream);
  std::vector<std::uint8_t> labels;
  for (double p : truth)
    labels.push_back(boost::random::bernoulli_distribution<double>(p)(rng) ? 1 : 0);
  return labels;
}

// `n` draws of U(lo, hi) from the test stream `stream`.
std::vector<double> uniform_draws(int n, double lo, double hi, std::uint32_t stream) {
  RngStream rng(ReplicationKey{5, 0}, "calibration_test.draws", stream);
  boost::random::uniform_real_distribution<double> u(lo, hi);
  std::vector<double> out(static_cast<std::size_t>(n));
  for (double& x : out) x = u(rng);
  return out;
}

std::vector<double> transformed(const std::vector<double>& v, auto f) {
  std::vector<double> out;
  for (double x : v) out.push_back(f(x));
  return out;
}

// The sampling error of a maximum-likelihood fit of sigmoid(a x + b) to labels drawn from true
// probabilities p_i: asymptotically normal around the truth with covariance C, the inverse of the
// Fisher information I = sum_i p_i (1 - p_i) [x_i^2, x_i; x_i, 1]. Platt's smoothed targets t_i
// (see platt.h) move the optimum further by the first-order shift C sum_i (t_i - y_i) [x_i, 1].
struct PlattError {
  double cov_aa = 0, cov_ab = 0, cov_bb = 0;
  double shift_a = 0, shift_b = 0;

  PlattError(const std::vector<double>& x, const std::vector<double>& truth,
             const std::vector<std::uint8_t>& labels) {
    double iaa = 0, iab = 0, ibb = 0, positives = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double w = truth[i] * (1 - truth[i]);
      iaa += w * x[i] * x[i];
      iab += w * x[i];
      ibb += w;
      positives += labels[i];
    }
    const double det = iaa * ibb - iab * iab;
    cov_aa = ibb / det;
    cov_ab = -iab / det;
    cov_bb = iaa / det;
    const double negatives = static_cast<double>(x.size()) - positives;
    double da = 0, db = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double d = labels[i] ? -1 / (positives + 2) : 1 / (negatives + 2);  // t_i - y_i
      da += d * x[i];
      db += d;
    }
    shift_a = cov_aa * da + cov_ab * db;
    shift_b = cov_ab * da + cov_bb * db;
  }

  // Standard error of the fitted logit a x + b at x.
  double logit_se(double x) const { return std::sqrt(cov_aa * x * x + 2 * cov_ab * x + cov_bb); }
};

// The bound on the label noise N = sum_b |sum_{i in bin b} (p_i - y_i)| / n that enters the ECE
// of `predictions` (10 bins of [0, 1]) when the labels are y_i ~ Bernoulli(p_i = truth[i]).
// Each bin's sum has mean 0 and variance V_b = sum p_i (1 - p_i) over the bin, so
//   E N <= sum_b sqrt(V_b) / n  and  SD(N) <= sqrt(sum_b V_b) / n
// (independent bins, Var |S| <= E S^2). Returns the mean bound plus 4 SD: the bins hold
// thousands of examples, so normal tails apply.
double ece_noise_bound(const std::vector<double>& predictions, const std::vector<double>& truth) {
  std::vector<double> variance(10, 0.0);
  for (std::size_t i = 0; i < truth.size(); ++i)
    variance[reliability_bin(predictions[i], 10, 1.0)] += truth[i] * (1 - truth[i]);
  double mean = 0, total = 0;
  for (double v : variance) {
    mean += std::sqrt(v);
    total += v;
  }
  return (mean + 4 * std::sqrt(total)) / static_cast<double>(truth.size());
}

}  // namespace

TEST_CASE("isotonic pools adjacent violators into the blocks computed by hand", "[calibration]") {
  // In increasing order (ties pooled first), pool-adjacent-violators runs:
  //   0.1 y=0              -> [0.1]       rate 0
  //   0.2 y=0, 0.2 y=1     -> [0.2]       rate 1/2   (a tie: one block)
  //   0.3 y=1              -> [0.3]       rate 1
  //   0.4 y=0  violates 1  -> [0.3, 0.4]  rate 1/2, which does not exceed [0.2]'s 1/2:
  //                        -> [0.2, 0.4]  rate 2/4
  //   0.5 y=0  violates    -> [0.2, 0.5]  rate 2/5, above [0.1]'s 0: stop
  //   0.6 y=1              -> [0.6]       rate 1
  //   0.7 y=1  ties 1      -> [0.6, 0.7]  rate 1
  // Blocks {0.1: 0 (1)}, {0.2..0.5: 2/5 (5)}, {0.6..0.7: 1 (2)}: squared error 0 + 1.2 + 0 = 1.2.
  // Had the tie been split (0.2 y=0 pooled with 0.1 before 0.2 y=1 arrived), 0.1 would end up in
  // a block of rate 1/3 with squared error 4/3: not the least-squares fit. Both orders of the tie
  // are fed, so the fit must not depend on the order of the window.
  const std::vector<double> predictions = {0.5, 0.2, 0.2, 0.7, 0.1, 0.4, 0.3, 0.6};
  for (const bool tie_negative_first : {true, false}) {
    const std::uint8_t first = tie_negative_first ? 0 : 1;
    const std::vector<std::uint8_t> labels = {0, first, std::uint8_t(1 - first), 1, 0, 0, 1, 1};
    IsotonicCalibration iso;
    iso.fit(predictions, labels);
    const auto& b = iso.blocks();
    INFO("tie negative first: " << tie_negative_first);
    REQUIRE(b.size() == 3);
    CHECK(b[0].lo == 0.1);
    CHECK(b[0].hi == 0.1);
    CHECK(b[0].rate == 0.0);
    CHECK(b[0].weight == 1);
    CHECK(b[1].lo == 0.2);
    CHECK(b[1].hi == 0.5);
    CHECK(b[1].rate == Approx(0.4).epsilon(1e-12));
    CHECK(b[1].weight == 5);
    CHECK(b[2].lo == 0.6);
    CHECK(b[2].hi == 0.7);
    CHECK(b[2].rate == 1.0);
    CHECK(b[2].weight == 2);
    // Flat ends (clamped), flat inside blocks, linear between them.
    CHECK(iso.apply(0.0) == kFloor);
    CHECK(iso.apply(0.1) == kFloor);
    CHECK(iso.apply(0.15) == Approx(0.2).epsilon(1e-12));  // halfway from 0 to 2/5
    CHECK(iso.apply(0.2) == Approx(0.4).epsilon(1e-12));
    CHECK(iso.apply(0.33) == Approx(0.4).epsilon(1e-12));
    CHECK(iso.apply(0.5) == Approx(0.4).epsilon(1e-12));
    CHECK(iso.apply(0.575) == Approx(0.4 + 0.6 * 0.75).epsilon(1e-12));  // 3/4 of the way to 1
    CHECK(iso.apply(0.65) == 1 - kFloor);
    CHECK(iso.apply(1.0) == 1 - kFloor);
  }
}

TEST_CASE("isotonic blocks partition the window into increasing rates", "[calibration]") {
  // A larger window: the blocks must cover every example once, in increasing order of both range
  // and rate (PAV pools equal rates), and preserve the number of positives (each block's rate is
  // its observed mean).
  const std::vector<double> truth = uniform_draws(5000, 0.0, 1.0, 0);
  const std::vector<std::uint8_t> labels = draw_labels(truth, 0);
  // Predictions rounded to 1/100 so that many of them tie.
  const std::vector<double> predictions =
      transformed(truth, [](double p) { return std::round(p * 100) / 100; });
  IsotonicCalibration iso;
  iso.fit(predictions, labels);
  const auto& blocks = iso.blocks();
  REQUIRE(blocks.size() > 1);
  double weight = 0, positives = 0;
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    weight += blocks[k].weight;
    positives += blocks[k].rate * blocks[k].weight;
    CHECK(blocks[k].lo <= blocks[k].hi);
    if (k > 0) {
      CHECK(blocks[k - 1].hi < blocks[k].lo);
      CHECK(blocks[k - 1].rate < blocks[k].rate);
    }
  }
  CHECK(weight == static_cast<double>(labels.size()));
  CHECK(positives == Approx(std::count(labels.begin(), labels.end(), 1)).epsilon(1e-9));
}

TEST_CASE("every calibrator keeps its contract", "[calibration]") {
  const std::vector<double> truth = uniform_draws(2000, 0.02, 0.6, 1);
  const std::vector<std::uint8_t> labels = draw_labels(truth, 1);
  // A model that over-predicts (odds x 3), so every calibrator has something to correct.
  const std::vector<double> predictions =
      transformed(truth, [](double p) { return sigmoid(logit(p) + std::log(3.0)); });
  std::vector<double> grid;
  for (int i = 0; i <= 1000; ++i) grid.push_back(i / 1000.0);
  for (const std::string& name : calibrator_registry().names()) {
    SECTION(name) {
      auto calibrator = make(name);
      // The identity before the first fit (Platt's sigmoid(logit(p)) up to rounding).
      for (double p : grid)
        CHECK(calibrator->apply(p) == Approx(std::clamp(p, kFloor, 1 - kFloor)).epsilon(1e-12));
      calibrator->fit(predictions, labels);
      std::vector<double> fitted;
      for (double p : grid) fitted.push_back(calibrator->apply(p));
      for (std::size_t i = 0; i < grid.size(); ++i) {
        CHECK(fitted[i] >= kFloor);
        CHECK(fitted[i] <= 1 - kFloor);
        if (i > 0) CHECK(fitted[i] >= fitted[i - 1]);
      }
      // A window with one class says nothing about calibration: the map stays as it was.
      for (const std::uint8_t label : {0, 1}) {
        calibrator->fit(predictions, std::vector<std::uint8_t>(labels.size(), label));
        for (std::size_t i = 0; i < grid.size(); ++i)
          CHECK(calibrator->apply(grid[i]) == fitted[i]);
      }
      CHECK_THROWS_AS(calibrator->fit(predictions, std::span(labels).first(10)), std::logic_error);
    }
  }
  CHECK_THROWS_AS(make("histogram"), std::invalid_argument);
}

TEST_CASE("the \"none\" calibrator is the identity within the clamp", "[calibration]") {
  auto none = make("none");
  const std::vector<double> truth = uniform_draws(500, 0.0, 1.0, 2);
  none->fit(transformed(truth, [](double p) { return p / 2; }), draw_labels(truth, 2));
  for (double p : {0.0, 1e-9, kFloor, 0.013, 0.5, 0.987, 1 - 1e-9, 1.0})
    CHECK(none->apply(p) == std::clamp(p, kFloor, 1 - kFloor));
}

TEST_CASE("Platt scaling recovers a known logistic distortion", "[calibration]") {
  // Predictions p = sigmoid(x), x ~ U(-4, 1); labels ~ Bernoulli(sigmoid(a* x + b*)). The fitted
  // (a, b) must lie within 4 standard errors (from the Fisher information at the truth) of
  // (a*, b*), plus the first-order shift of Platt's smoothed targets (~1e-4 here, against
  // standard errors ~0.02). When a* = 1, b* = 0 the model is calibrated and the fit is the
  // identity up to the same error, checked on the whole map: the 4-SE band of a x + b holds for
  // every x at once with probability 1 - e^{-8} (Scheffe: a chi-square(2) ellipse of radius 4).
  struct Case {
    const char* name;
    double a, b;
  };
  const Case cases[] = {{"sharpened and shifted", 0.6, -0.4}, {"calibrated", 1.0, 0.0}};
  std::uint32_t stream = 10;
  for (const Case& c : cases) {
    SECTION(c.name) {
      const std::vector<double> x = uniform_draws(20000, -4.0, 1.0, stream);
      const std::vector<double> truth =
          transformed(x, [&](double s) { return sigmoid(c.a * s + c.b); });
      const std::vector<std::uint8_t> labels = draw_labels(truth, stream);
      PlattScaling platt;
      platt.fit(transformed(x, [](double s) { return sigmoid(s); }), labels);
      const PlattError error(x, truth, labels);
      INFO("a = " << platt.slope() << " (SE " << std::sqrt(error.cov_aa)
                  << "), b = " << platt.intercept() << " (SE " << std::sqrt(error.cov_bb) << ")");
      CHECK(std::abs(platt.slope() - c.a) <= 4 * std::sqrt(error.cov_aa) + std::abs(error.shift_a));
      CHECK(std::abs(platt.intercept() - c.b) <=
            4 * std::sqrt(error.cov_bb) + std::abs(error.shift_b));
      for (double s = -4; s <= 1; s += 0.25) {
        const double fitted = logit(platt.apply(sigmoid(s)));
        CHECK(std::abs(fitted - (c.a * s + c.b)) <=
              4 * error.logit_se(s) + std::abs(error.shift_a * s + error.shift_b));
      }
    }
    ++stream;
  }
}

TEST_CASE("Platt and isotonic lower ECE on a deliberately miscalibrated model", "[calibration]") {
  // True probabilities p ~ U(0.05, 0.5), labels ~ Bernoulli(p); the model reports a distorted q.
  // Each calibrator is fitted on one sample of (q, label) and evaluated on a fresh one: ECE over
  // 10 bins of [0, 1] of the calibrated c = f(q) against the labels.
  //
  // Tolerance. With N_c = sum_b |sum_{i in bin b of c} (p_i - y_i)| / n the label noise seen in
  // c's bins and D = mean |c_i - p_i| the calibrator's error, ECE(c) <= N_c + D.
  //  - N_c: at most ece_noise_bound (mean bound plus 4 SD of the label noise in c's bins).
  //  - D, Platt: both distortions below are in Platt's family, so the fitted logit is off by at
  //    most 4 SE at every q at once (see PlattError and the Platt test above), and a logit error e
  //    moves a probability by at most |e| / 4.
  //  - D, isotonic: at p the error is asymptotically (4 p (1 - p) / (n g(p)))^{1/3} Z (Brunk 1970,
  //    Wright 1981), g = 1 / 0.45 the density of p (isotonic regression does not see monotone
  //    maps of its input, so q's distortion drops out), Z Chernoff's distribution with
  //    Var Z = 0.2636 (Groeneboom & Wellner 2001), so E|Z| <= 0.514. D averages |errors| that are
  //    correlated over stretches of width ~n^{-1/3}, i.e. ~n^{1/3} = 46 nearly independent ones
  //    each with a coefficient of variation below 1, so D exceeds twice its mean with negligible
  //    probability: allow twice the mean bound.
  // The truth's own ECE is N_p, under the same noise bound (checked), so a calibrated ECE below
  // the bound is as close to the truth's as the noise and the fit's error allow. The test must
  // also be able to fail: the ECE of the distorted q is at least its calibration in the large,
  // |mean(q - y)|, which is the mean gap mean(q - p) up to 4 SE of the label mean; the calibrated
  // bound must be below half of that gap.
  constexpr int kSample = 100000;
  constexpr double kLo = 0.05, kHi = 0.5;
  struct Distortion {
    const char* name;
    double temperature, odds_multiplier;
  };
  const Distortion distortions[] = {{"odds x 2", 1.0, 2.0}, {"temperature 2", 2.0, 1.0}};
  std::uint32_t stream = 20;
  for (const Distortion& d : distortions) {
    const auto distort = [&](double p) {
      return sigmoid(logit(p) / d.temperature + std::log(d.odds_multiplier));
    };
    const std::vector<double> fit_truth = uniform_draws(kSample, kLo, kHi, stream);
    const std::vector<std::uint8_t> fit_labels = draw_labels(fit_truth, stream);
    const std::vector<double> truth = uniform_draws(kSample, kLo, kHi, stream + 1);
    const std::vector<std::uint8_t> labels = draw_labels(truth, stream + 1);
    stream += 2;
    const std::vector<double> targets(labels.begin(), labels.end());
    const std::vector<double> reported = transformed(truth, distort);
    const double ece_truth = expected_calibration_error(truth, targets, 10, 1.0);
    const double ece_reported = expected_calibration_error(reported, targets, 10, 1.0);
    double gap = 0, label_variance = 0;
    for (int i = 0; i < kSample; ++i) {
      gap += (reported[i] - truth[i]) / kSample;
      label_variance += truth[i] * (1 - truth[i]) / kSample / kSample;
    }
    CHECK(ece_reported >= gap - 4 * std::sqrt(label_variance));
    CHECK(ece_truth <= ece_noise_bound(truth, truth));

    for (const std::string name : {"platt", "isotonic"}) {
      SECTION(std::string(d.name) + ", " + name) {
        auto calibrator = make(name);
        calibrator->fit(transformed(fit_truth, distort), fit_labels);
        const std::vector<double> calibrated =
            transformed(reported, [&](double q) { return calibrator->apply(q); });
        double error_bound = 0;
        if (name == "platt") {
          const std::vector<double> x =
              transformed(fit_truth, [&](double p) { return logit(distort(p)); });
          const PlattError e(x, fit_truth, fit_labels);
          for (int i = 0; i < kSample; ++i) {
            const double s = logit(reported[i]);
            error_bound += (4 * e.logit_se(s) + std::abs(e.shift_a * s + e.shift_b)) / 4 / kSample;
          }
        } else {
          for (double p : truth)
            error_bound += 2 * 0.514 * std::cbrt(4 * p * (1 - p) * (kHi - kLo) / kSample) / kSample;
        }
        const double tolerance = ece_noise_bound(calibrated, truth) + error_bound;
        const double ece = expected_calibration_error(calibrated, targets, 10, 1.0);
        INFO("ECE: truth " << ece_truth << ", reported " << ece_reported << ", calibrated " << ece
                           << "; tolerance " << tolerance << ", gap " << gap);
        CHECK(ece <= tolerance);
        CHECK(tolerance < gap / 2);
      }
    }
  }
}
