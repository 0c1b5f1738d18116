// XgboostBooster: native categorical splits, learning a known click function, importance,
// bit-identical refits, warm starts and input checks.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "models/gbdt/xgboost_booster.h"
#include "sim/core/rng.h"

using namespace marketsim;

namespace {

// Columns: a categorical "offer" code that matters, two numbers whose interaction matters, and
// three that do not: two numbers and a categorical code.
constexpr std::size_t kFeatures = 6;
constexpr std::array<std::size_t, 2> kCategorical = {0, 5};
constexpr std::array<std::size_t, 3> kInformative = {0, 1, 2};
constexpr std::array<std::size_t, 3> kNoise = {3, 4, 5};

// The truth: logit = kIntercept + kOfferEffect[offer] + kBoth [u > 1/2 and v > 1/2]. The offer
// effects are not monotone in the code, so a numeric split on the code could not group them.
constexpr std::array<double, 8> kOfferEffect = {-1.5, 1.0, -1.0, 0.5, -0.5, 1.5, -2.0, 0.0};
constexpr double kIntercept = -1.0;
constexpr double kBoth = 2.0;

double sigmoid(double s) { return 1.0 / (1.0 + std::exp(-s)); }

double true_probability(int offer, bool both) {
  return sigmoid(kIntercept + kOfferEffect[offer] + (both ? kBoth : 0.0));
}

// Binary entropy in nats.
double entropy(double p) { return -p * std::log(p) - (1 - p) * std::log(1 - p); }

struct Sample {
  std::vector<float> rows;
  std::vector<float> labels;
  std::vector<double> truth;  // P(label = 1 | row)
  std::size_t size() const { return labels.size(); }
};

// `n` rows of the synthetic truth, drawn from the stream (`seed`, "xgboost_booster_test", 0).
// u, v and the noise numbers are on a grid of 1000 values in [0, 1).
Sample draw_sample(std::size_t n, std::uint64_t seed) {
  RngStream rng(ReplicationKey{seed, 0}, "xgboost_booster_test", 0);
  boost::random::uniform_int_distribution<int> offer_of(0, 7), noise_code_of(0, 5), grid(0, 999);
  Sample s;
  for (std::size_t i = 0; i < n; ++i) {
    const int offer = offer_of(rng);
    const float u = static_cast<float>(grid(rng)) / 1000.0f;
    const float v = static_cast<float>(grid(rng)) / 1000.0f;
    const float noise_a = static_cast<float>(grid(rng)) / 1000.0f;
    const float noise_b = static_cast<float>(grid(rng)) / 1000.0f;
    const int noise_code = noise_code_of(rng);
    const double p = true_probability(offer, u >= 0.5f && v >= 0.5f);
    s.rows.insert(s.rows.end(), {static_cast<float>(offer), u, v, noise_a, noise_b,
                                 static_cast<float>(noise_code)});
    s.labels.push_back(rng.uniform() < p ? 1.0f : 0.0f);
    s.truth.push_back(p);
  }
  return s;
}

std::vector<double> predictions(const XgboostBooster& booster, const Sample& s) {
  std::vector<double> out(s.size());
  booster.predict(s.rows, s.size(), out);
  return out;
}

// Mean negative log-likelihood (nats) of the labels under `p`, and its standard error.
struct LogLoss {
  double mean = 0;
  double standard_error = 0;
};

LogLoss log_loss(std::span<const float> labels, std::span<const double> p) {
  double sum = 0, sum_sq = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double loss = -std::log(labels[i] > 0.5f ? p[i] : 1 - p[i]);
    sum += loss;
    sum_sq += loss * loss;
  }
  const double n = static_cast<double>(labels.size());
  const double mean = sum / n;
  return {mean, std::sqrt((sum_sq / n - mean * mean) / n)};
}

XgboostBooster fitted(const Sample& s, BoosterParams params) {
  XgboostBooster booster(kFeatures, kCategorical, params);
  booster.fit(s.rows, s.size(), s.labels, {}, false);
  return booster;
}

}  // namespace

TEST_CASE("xgboost_booster: one stump isolates a non-contiguous set of categories",
          "[models][gbdt]") {
  // Offers 1, 3 and 5 click more than the others. A numeric split on the code cuts it at one
  // threshold, so a single depth-1 tree could not put {1, 3, 5} on one side; a native categorical
  // split can, and then every one of them scores above every other offer.
  const Sample s = draw_sample(4000, 1);
  RngStream rng(ReplicationKey{1, 0}, "xgboost_booster_test.stump", 0);
  std::vector<float> labels(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const int offer = static_cast<int>(s.rows[i * kFeatures]);
    const bool in_set = offer == 1 || offer == 3 || offer == 5;
    labels[i] = rng.uniform() < (in_set ? 0.7 : 0.3) ? 1.0f : 0.0f;
  }
  std::vector<float> rows(8 * kFeatures, 0.25f);
  for (int offer = 0; offer < 8; ++offer) {
    rows[offer * kFeatures] = static_cast<float>(offer);
    rows[offer * kFeatures + 5] = 0;
  }
  // Whether the set {1, 3, 5} scores above every other offer, for a stump fitted with `categorical`
  // columns.
  const auto separates = [&](std::span<const std::size_t> categorical) {
    XgboostBooster booster(kFeatures, categorical, {.rounds = 1, .max_depth = 1});
    booster.fit(s.rows, s.size(), labels, {}, false);
    CHECK(booster.importance_splits() == std::vector<double>{1, 0, 0, 0, 0, 0});
    std::vector<double> p(8);
    booster.predict(rows, 8, p);
    return std::min({p[1], p[3], p[5]}) > std::max({p[0], p[2], p[4], p[6], p[7]});
  };
  CHECK(separates(kCategorical));
  CHECK_FALSE(separates({}));
}

TEST_CASE("xgboost_booster learns a categorical effect and an interaction", "[models][gbdt]") {
  const Sample train = draw_sample(20000, 2);
  const Sample test = draw_sample(20000, 3);
  const XgboostBooster booster = fitted(train, {.max_depth = 4});
  const LogLoss model = log_loss(test.labels, predictions(booster, test));
  const LogLoss bayes = log_loss(test.labels, test.truth);

  // The population's entropies, exact from the truth: offers are uniform over 8 codes and
  // u, v >= 1/2 both hold with probability 1/4 (500 of the 1000 grid values each).
  double base_rate = 0, conditional_entropy = 0;
  for (int offer = 0; offer < 8; ++offer)
    for (const auto& [both, weight] : {std::pair{true, 0.25}, std::pair{false, 0.75}}) {
      base_rate += true_probability(offer, both) * weight / 8;
      conditional_entropy += entropy(true_probability(offer, both)) * weight / 8;
    }
  const double base_entropy = entropy(base_rate);
  const double information = base_entropy - conditional_entropy;  // I(label; row)

  // A model that learned nothing scores about base_entropy on the 20 000 test rows, the
  // Bayes-optimal one (the truth) about conditional_entropy, each up to a few standard errors off
  // (checked below for the truth). The threshold is halfway between, so it is information / 2 from
  // each: with I = 0.157 nats and a standard error of 0.0036 nats that is over 20 standard errors
  // (at least 4 is required below). A learner that misses half of the information fails; one
  // that finds most of it passes with room to spare.
  INFO("base entropy " << base_entropy << ", conditional entropy " << conditional_entropy
                       << ", truth's log loss " << bayes.mean << " +- " << bayes.standard_error
                       << ", model's " << model.mean << " +- " << model.standard_error);
  REQUIRE(information / 2 > 4 * bayes.standard_error);
  CHECK(std::abs(bayes.mean - conditional_entropy) < 4 * bayes.standard_error);
  CHECK(model.mean < base_entropy - information / 2);
}

TEST_CASE("xgboost_booster's importance ranks informative features above noise", "[models][gbdt]") {
  const Sample train = draw_sample(20000, 4);
  const XgboostBooster booster = fitted(train, {.rounds = 20, .max_depth = 3});
  for (const auto& [kind, scores] : {std::pair{"gain", booster.importance_gain()},
                                     std::pair{"splits", booster.importance_splits()}}) {
    INFO(kind << ": " << Catch::Detail::stringify(scores));
    REQUIRE(scores.size() == kFeatures);
    double least_informative = scores[kInformative[0]], most_noise = 0;
    for (std::size_t f : kInformative) least_informative = std::min(least_informative, scores[f]);
    for (std::size_t f : kNoise) most_noise = std::max(most_noise, scores[f]);
    CHECK(least_informative > most_noise);
  }
  const XgboostBooster untrained(kFeatures, kCategorical, {});
  CHECK(untrained.importance_gain() == std::vector<double>(kFeatures, 0.0));
  CHECK(untrained.importance_splits() == std::vector<double>(kFeatures, 0.0));
}

TEST_CASE("xgboost_booster refits bit-identically, whatever else runs on any thread",
          "[models][gbdt]") {
  // Row subsampling makes the seed matter. XGBoost draws the rows from a thread-local engine that
  // a new booster seeds once; without reseeding every round, a warm start would continue from
  // wherever another booster on the thread left the engine.
  const Sample first_batch = draw_sample(5000, 5);
  const Sample second_batch = draw_sample(5000, 6);
  const Sample test = draw_sample(500, 7);
  const BoosterParams params{.rounds = 10, .subsample = 0.5, .seed = 42};
  BoosterParams other_params = params;
  other_params.seed = 43;
  const auto two_batches = [&](bool interleave) {
    XgboostBooster booster = fitted(first_batch, params);
    if (interleave) fitted(second_batch, other_params);
    booster.fit(second_batch.rows, second_batch.size(), second_batch.labels, {}, true);
    return predictions(booster, test);
  };
  const std::vector<double> alone = two_batches(false);
  CHECK(two_batches(false) == alone);
  CHECK(two_batches(true) == alone);
  std::array<std::vector<double>, 2> on_threads;
  {
    std::jthread first([&] { on_threads[0] = two_batches(false); });
    std::jthread second([&] { on_threads[1] = two_batches(true); });
  }
  CHECK(on_threads[0] == alone);
  CHECK(on_threads[1] == alone);
  CHECK(predictions(fitted(first_batch, params), test) ==
        predictions(fitted(first_batch, params), test));
  CHECK(predictions(fitted(first_batch, other_params), test) !=
        predictions(fitted(first_batch, params), test));
}

TEST_CASE("xgboost_booster's warm start adds trees to the current model", "[models][gbdt]") {
  const Sample first_batch = draw_sample(5000, 8);
  const Sample second_batch = draw_sample(5000, 9);
  const BoosterParams params{.rounds = 10, .max_depth = 3};
  XgboostBooster booster = fitted(first_batch, params);
  const std::vector<double> before = predictions(booster, second_batch);

  booster.fit(second_batch.rows, second_batch.size(), second_batch.labels, {}, true);
  CHECK(booster.boosted_rounds() == 20);
  const std::vector<double> after = predictions(booster, second_batch);
  CHECK(after != before);
  CHECK(log_loss(second_batch.labels, after).mean <= log_loss(second_batch.labels, before).mean);
  // Continuing is not starting over: a fresh fit on the second batch alone differs.
  CHECK(after != predictions(fitted(second_batch, params), second_batch));

  booster.fit(second_batch.rows, second_batch.size(), second_batch.labels, {}, false);
  CHECK(booster.boosted_rounds() == 10);
  booster.reset();
  CHECK_FALSE(booster.trained());
  CHECK(booster.boosted_rounds() == 0);
}

TEST_CASE("xgboost_booster rejects bad input", "[models][gbdt]") {
  const Sample s = draw_sample(100, 10);
  XgboostBooster booster(kFeatures, kCategorical, {.rounds = 2});
  std::vector<double> out(s.size());
  CHECK_FALSE(booster.trained());
  CHECK_THROWS_AS(booster.predict(s.rows, s.size(), out), std::logic_error);

  const std::span<const float> rows(s.rows), labels(s.labels);
  CHECK_THROWS_AS(booster.fit(rows.first(rows.size() - 1), s.size(), labels, {}, false),
                  std::invalid_argument);
  CHECK_THROWS_AS(booster.fit(rows, s.size(), labels.first(s.size() - 1), {}, false),
                  std::invalid_argument);
  CHECK_THROWS_AS(booster.fit(rows, s.size(), labels, labels.first(3), false),
                  std::invalid_argument);
  CHECK_THROWS_AS(booster.fit({}, 0, {}, {}, false), std::invalid_argument);
  for (const float code : {-1.0f, 2.5f, 16777216.0f}) {
    std::vector<float> bad = s.rows;
    bad[5 * kFeatures] = code;
    CHECK_THROWS_AS(booster.fit(bad, s.size(), labels, {}, false), std::invalid_argument);
  }
  CHECK_FALSE(booster.trained());

  booster.fit(rows, s.size(), labels, {}, false);
  REQUIRE(booster.trained());
  CHECK_THROWS_AS(booster.predict(rows, s.size(), std::span(out).first(3)), std::invalid_argument);
  CHECK_THROWS_AS(booster.predict(rows.first(kFeatures), 2, std::span(out).first(2)),
                  std::invalid_argument);

  // XGBoost's own checks surface as std::runtime_error with its message and drop the model.
  std::vector<float> bad_labels = s.labels;
  bad_labels[0] = 2.0f;
  CHECK_THROWS_AS(booster.fit(rows, s.size(), bad_labels, {}, true), std::runtime_error);
  CHECK_FALSE(booster.trained());
  CHECK_THROWS_WITH(booster.fit(rows, s.size(), bad_labels, {}, false),
                    Catch::StartsWith("xgboost: ") && Catch::Contains("label must be in [0,1]") &&
                        !Catch::Contains("Stack trace"));

  const std::array<std::size_t, 1> out_of_range = {kFeatures};
  const std::array<std::size_t, 2> repeated = {1, 1};
  CHECK_THROWS_AS(XgboostBooster(kFeatures, out_of_range, {}), std::invalid_argument);
  CHECK_THROWS_AS(XgboostBooster(kFeatures, repeated, {}), std::invalid_argument);
  CHECK_THROWS_AS(XgboostBooster(0, {}, {}), std::invalid_argument);
  CHECK_THROWS_AS(XgboostBooster(kFeatures, kCategorical, {.subsample = 0}), std::invalid_argument);
}
