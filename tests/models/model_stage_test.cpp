// ModelStage: negative downsampling and its corrections against the binomial theory of the kept
// stream, online mini-batches and scheduled batch retrains (window, eviction, warm or cold start)
// against posterior means computed by hand, the injected miscalibration formula, the calibrator
// refitted inside the stage, the cold-start rate and determinism.
#include <catch2/catch.hpp>

#include <boost/random/bernoulli_distribution.hpp>
#include <cmath>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "models/predictor.h"
#include "models/sigmoid.h"
#include "models/training/model_stage.h"
#include "sim/core/rng.h"
#include "tests/models/model_test_support.h"

using namespace marketsim;
using marketsim::testing::TestCatalog;

namespace {

constexpr ReplicationKey kKey{7, 0};

ModelStageSpec default_spec() {
  return ModelStageSpec::from(defaults_of(ModelStageSpec::declare()));
}

// The declared defaults of registered model `name`, with `overrides`.
ParamValues model_params(const std::string& name,
                         const std::vector<std::pair<std::string, ParamValue>>& overrides = {}) {
  for (const ComponentInfo& info : predictor_registry().components())
    if (info.name == name) {
      ParamValues values = defaults_of(info.params);
      for (const auto& [key, value] : overrides) values.set(key, value);
      return values;
    }
  throw std::invalid_argument("no model " + name);
}

std::unique_ptr<ModelStage> make_stage(const std::string& model, const ParamValues& params,
                                       const ModelStageSpec& spec,
                                       const PredictorContext& context) {
  return std::make_unique<ModelStage>(predictor_registry().create(model, params, context), spec,
                                      kKey, context.stream);
}

// A beta model with a vanishing prior: its prediction is positives / examples up to 2e-6 / n.
ParamValues empirical_beta() {
  return model_params("beta", {{"prior_alpha", 1e-6}, {"prior_beta", 1e-6}});
}

// A matured click label of impression `transaction` of `offer`.
Example click_example(std::uint64_t transaction, std::uint32_t offer, bool clicked) {
  Example e;
  e.transaction = transaction;
  e.offer = offer;
  e.clicked = clicked;
  e.set(Task::kClick, clicked);
  return e;
}

// The stage's served probability of `offer` (reference slot, empty request).
double served(const ModelStage& stage, std::uint32_t offer = 0) {
  const std::vector<std::uint32_t> offers = {offer};
  std::vector<double> out(1);
  stage.predict(RequestFeatures{}, offers, out);
  return out[0];
}

// Beta(alpha, beta) posterior mean after `positives` of `examples`.
double posterior_mean(double alpha, double beta, double positives, double examples) {
  return (alpha + positives) / (alpha + beta + examples);
}

// `n` click examples of offer 0, clicked with probability `rate`, transactions 0 .. n - 1.
std::vector<Example> click_stream(int n, double rate, std::uint32_t stream) {
  RngStream rng(ReplicationKey{9, 0}, "model_stage_test.clicks", stream);
  boost::random::bernoulli_distribution<double> click(rate);
  std::vector<Example> out;
  for (int i = 0; i < n; ++i)
    out.push_back(click_example(static_cast<std::uint64_t>(i), 0, click(rng)));
  return out;
}

double positives_of(const std::vector<Example>& examples, Task task) {
  double n = 0;
  for (const Example& e : examples) n += e.has(task) && e.label(task) ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE(
    "downsampling without correction over-predicts by the expected factor and the "
    "correction removes it",
    "[stage]") {
  // n impressions of one offer with click rate r; negatives (impressions without a click) are
  // kept with probability w. Given the number kept N, each kept example is a click with
  // probability rho = r / (r + (1 - r) w), i.e. odds(rho) = odds(r) / w, so a per-offer rate
  // learned on the kept stream has standard error sqrt(rho (1 - rho) / N).
  // Both corrections estimate r by K / (K + M / w), with K clicks and M kept negatives:
  //   recalibrate  maps rho^ = K / (K + M) through q = p / (p + (1 - p) / w), the same number;
  //   weight       kept negatives weigh 1 / w, and K / (K + M / w) is the weighted MLE.
  // By the delta method on (K, M), with Var K = n r (1 - r), Var M = n (1 - r) w (1 - (1 - r) w)
  // and Cov(K, M) = -n r (1 - r) w, its variance is r (1 - r) ((1 - r) + r / w) / n.
  // Every statistical check allows 4 standard errors.
  //
  // Models: "beta" learns per-offer counts and ignores Example::weight, so it serves the "none"
  // and "recalibrate" cases; ftrl, the networks and gbdt honour weights. "weight" uses gbdt on a
  // constant feature: every tree is one leaf, and 50 Newton rounds of shrinkage 0.3 converge to
  // the weighted maximum-likelihood rate (the error contracts by ~0.7 a round, to ~1e-8) up to
  // XGBoost's float arithmetic (relative ~1e-7; 1e-5 allowed), so it is compared with
  // K / (K + M / w) as well.
  constexpr double kRate = 0.1, kKeep = 0.2;
  constexpr int kImpressions = 50000;
  const std::vector<Example> stream = click_stream(kImpressions, kRate, 0);
  const double clicks = positives_of(stream, Task::kClick), negatives = kImpressions - clicks;
  const TestCatalog catalog(1);
  ModelStageSpec spec = default_spec();
  spec.training.negative_rate = kKeep;

  spec.training.correction = TrainingSpec::Correction::kNone;
  auto none = make_stage("beta", empirical_beta(), spec, catalog.context());
  spec.training.correction = TrainingSpec::Correction::kRecalibrate;
  auto recalibrated = make_stage("beta", empirical_beta(), spec, catalog.context());
  double learned_examples = 0;
  for (const Example& e : stream) {
    learned_examples += none->add(0, e, 0.0) ? 1 : 0;
    recalibrated->add(0, e, 0.0);
  }
  const StageCounts& counts = none->counts();
  CHECK(counts.examples == kImpressions);
  CHECK(counts.trained == learned_examples);
  const double kept_negatives = counts.trained - clicks;  // every click is kept
  CHECK(std::abs(kept_negatives - kKeep * negatives) <=
        4 * std::sqrt(kKeep * (1 - kKeep) * negatives));
  // The coins are keyed per impression, not drawn in order: both stages keep the same examples.
  CHECK(recalibrated->counts().trained == counts.trained);

  const double rho = kRate / (kRate + (1 - kRate) * kKeep);
  const double learned = served(*none);
  CHECK(learned == Approx(posterior_mean(1e-6, 1e-6, clicks, counts.trained)).epsilon(1e-12));
  CHECK(std::abs(learned - rho) <= 4 * std::sqrt(rho * (1 - rho) / counts.trained));

  const double corrected_se =
      std::sqrt(kRate * (1 - kRate) * ((1 - kRate) + kRate / kKeep) / kImpressions);
  const double recalibrated_rate = served(*recalibrated);
  CHECK(recalibrated_rate == Approx(learned / (learned + (1 - learned) / kKeep)).epsilon(1e-12));
  CHECK(std::abs(recalibrated_rate - kRate) <= 4 * corrected_se);

  spec.training.correction = TrainingSpec::Correction::kWeight;
  spec.training.schedule = TrainingSpec::Schedule::kBatch;
  spec.training.retrain_every_h = 1;
  spec.training.batch_size = 256;
  ParamValues features = defaults_of(FeatureSpec::declare());
  features.set("fields", std::string("device"));
  features.set("crosses", std::string(""));
  auto weighted = make_stage("gbdt", model_params("gbdt"), spec,
                             catalog.context(Task::kClick, FeatureSpec::from(features)));
  for (const Example& e : stream) weighted->add(0, e, 0.0);
  weighted->advance(hours_to_time(1));
  REQUIRE(weighted->counts().retrains == 1);
  CHECK(weighted->counts().trained == counts.trained);
  const double weighted_rate = served(*weighted);
  CHECK(weighted_rate == Approx(clicks / (clicks + kept_negatives / kKeep)).epsilon(1e-5));
  CHECK(std::abs(weighted_rate - kRate) <= 4 * corrected_se);
}

TEST_CASE("a conversion stage downsamples its own negatives, so recalibration is exact",
          "[stage]") {
  // Clicked impressions convert with probability v; the conversion model learns on clicks only,
  // so its negatives are the clicks that did not convert. Those are what downsampling must drop
  // (w of them kept) for q = p / (p + (1 - p) / w) to undo it; the tolerances are those of the
  // test above with the clicks as the impressions.
  constexpr double kClickRate = 0.3, kConversionRate = 0.2, kKeep = 0.25;
  constexpr int kImpressions = 60000;
  RngStream rng(ReplicationKey{9, 0}, "model_stage_test.conversions", 0);
  boost::random::bernoulli_distribution<double> click(kClickRate), convert(kConversionRate);
  std::vector<Example> stream;
  for (int i = 0; i < kImpressions; ++i) {
    Example e = click_example(static_cast<std::uint64_t>(i), 0, click(rng));
    e.set(Task::kConversion, e.clicked && convert(rng));
    stream.push_back(e);
  }
  const double clicks = positives_of(stream, Task::kClick);
  const double conversions = positives_of(stream, Task::kConversion);
  const TestCatalog catalog(1);
  ModelStageSpec spec = default_spec();
  spec.training.negative_rate = kKeep;
  auto stage = make_stage("beta", empirical_beta(), spec, catalog.context(Task::kConversion));
  for (const Example& e : stream) stage->add(0, e, 0.0);
  CHECK(stage->counts().examples == clicks);  // impressions without a click are not wanted
  const double kept_negatives = stage->counts().trained - conversions;
  CHECK(std::abs(kept_negatives - kKeep * (clicks - conversions)) <=
        4 * std::sqrt(kKeep * (1 - kKeep) * (clicks - conversions)));
  const double se = std::sqrt(kConversionRate * (1 - kConversionRate) *
                              ((1 - kConversionRate) + kConversionRate / kKeep) / clicks);
  CHECK(std::abs(served(*stage) - kConversionRate) <= 4 * se);
}

TEST_CASE("online training updates after every batch_size wanted examples", "[stage]") {
  // Beta(1, 1): after k wanted examples with batch size 3 the model has learned the first
  // 3 floor(k / 3) of them. Examples without a click label are not wanted and count for nothing.
  const TestCatalog catalog(1);
  ModelStageSpec spec = default_spec();
  spec.training.batch_size = 3;
  auto stage = make_stage("beta", model_params("beta", {{"prior_alpha", 1.0}, {"prior_beta", 1.0}}),
                          spec, catalog.context());
  const bool labels[] = {true, false, false, true, true, false, false, true};
  double positives = 0, learned_positives = 0;
  int wanted = 0;
  for (bool label : labels) {
    stage->add(0, Example{}, 0.0);  // no label known: not wanted
    stage->add(0, click_example(static_cast<std::uint64_t>(wanted), 0, label), 0.0);
    ++wanted;
    positives += label ? 1 : 0;
    if (wanted % 3 == 0) learned_positives = positives;
    INFO("after " << wanted << " wanted examples");
    CHECK(served(*stage) ==
          Approx(posterior_mean(1, 1, learned_positives, wanted / 3 * 3)).epsilon(1e-12));
  }
  CHECK(stage->counts().examples == wanted);
}

TEST_CASE("batch retrains run on schedule and fit the window", "[stage]") {
  // Beta(1, 1), retrains every 4 h on a 2 h window. Examples (time: labels) 1 h: 1 1 1, 3 h: 0 0,
  // 5 h: 1, 7 h: 1 1, 12 h: 0, 15 h: 1. The retrain at 4 h sees only 3 h's (1 h is older than
  // 2 h): 1 / 4. At 8 h the window holds 7 h's: from scratch (1 + 2) / 4; warm, on top of 4 h's
  // fit, (1 + 2) / 6. An advance that arrives late, at 13 h, retrains once (window 12 h: from
  // scratch 1 / 3, warm 3 / 7) and the next retrain stays on the grid at 16 h (window 15 h: from
  // scratch 2 / 3, warm 4 / 8). 5 h's example is never fitted (at 8 h it is older than 2 h), and
  // the windows do not overlap, so a warm start adds each example once.
  struct Step {
    double hours;
    std::vector<bool> labels;
  };
  const Step steps[] = {{1, {true, true, true}}, {3, {false, false}}, {5, {true}},
                        {7, {true, true}},       {12, {false}},       {15, {true}}};
  struct Check {
    double hours, retrains, scratch, warm;
  };
  const Check checks[] = {{3.999, 0, 0.5, 0.5},      {4, 1, 0.25, 0.25},
                          {7.5, 1, 0.25, 0.25},      {8, 2, 0.75, 0.5},
                          {13, 3, 1.0 / 3, 3.0 / 7}, {15.999, 3, 1.0 / 3, 3.0 / 7},
                          {16, 4, 2.0 / 3, 0.5}};
  for (const bool warm_start : {false, true}) {
    SECTION(warm_start ? "warm start" : "from scratch") {
      const TestCatalog catalog(1);
      ModelStageSpec spec = default_spec();
      spec.training.schedule = TrainingSpec::Schedule::kBatch;
      spec.training.retrain_every_h = 4;
      spec.training.window_h = 2;
      spec.training.warm_start = warm_start;
      auto stage =
          make_stage("beta", model_params("beta", {{"prior_alpha", 1.0}, {"prior_beta", 1.0}}),
                     spec, catalog.context());
      std::uint64_t transaction = 0;
      std::size_t next_step = 0;
      for (const Check& c : checks) {
        for (; next_step < std::size(steps) && steps[next_step].hours <= c.hours; ++next_step)
          for (bool label : steps[next_step].labels)
            stage->add(hours_to_time(steps[next_step].hours),
                       click_example(transaction++, 0, label), 0.0);
        stage->advance(hours_to_time(c.hours));
        INFO("at " << c.hours << " h");
        CHECK(stage->counts().retrains == c.retrains);
        CHECK(served(*stage) == Approx(warm_start ? c.warm : c.scratch).epsilon(1e-12));
      }
      CHECK(stage->retrain_times() == std::vector<SimTime>{hours_to_time(4), hours_to_time(8),
                                                           hours_to_time(13), hours_to_time(16)});
      CHECK(stage->counts().examples == 10);
      CHECK(stage->counts().trained == 10);
    }
  }
}

TEST_CASE("a batch schedule learns online during its warm-up, then only in retrains", "[stage]") {
  // Beta(1, 1), warm-up 2 h, retrains every 4 h from scratch on a 3 h window. Online during the
  // warm-up: after 1 h's 1 1 0 the prediction is (1 + 2) / (2 + 3) = 0.6. 3 h's 1 1 is after the
  // warm-up: no change. The first retrain comes at 2 + 4 = 6 h, on the window [3 h, 6 h]: the two
  // clicks only, (1 + 2) / (2 + 2) = 0.75.
  const TestCatalog catalog(1);
  ModelStageSpec spec = default_spec();
  spec.training.schedule = TrainingSpec::Schedule::kBatch;
  spec.training.warm_up_h = 2;
  spec.training.retrain_every_h = 4;
  spec.training.window_h = 3;
  spec.training.warm_start = false;
  auto stage = make_stage("beta", model_params("beta", {{"prior_alpha", 1.0}, {"prior_beta", 1.0}}),
                          spec, catalog.context());
  std::uint64_t transaction = 0;
  for (bool label : {true, true, false})
    stage->add(hours_to_time(1), click_example(transaction++, 0, label), 0.0);
  stage->advance(hours_to_time(1));
  CHECK(served(*stage) == Approx(0.6).epsilon(1e-12));
  for (bool label : {true, true})
    stage->add(hours_to_time(3), click_example(transaction++, 0, label), 0.0);
  stage->advance(hours_to_time(5.999));
  CHECK(stage->counts().retrains == 0);
  CHECK(served(*stage) == Approx(0.6).epsilon(1e-12));
  stage->advance(hours_to_time(6));
  CHECK(stage->counts().retrains == 1);
  CHECK(served(*stage) == Approx(0.75).epsilon(1e-12));
}

TEST_CASE("the batch window keeps the newest max_window_examples", "[stage]") {
  // Five examples 1 1 0 0 0 with room for three: the retrain fits 0 0 0, Beta(1, 1) -> 1 / 5.
  const TestCatalog catalog(1);
  ModelStageSpec spec = default_spec();
  spec.training.schedule = TrainingSpec::Schedule::kBatch;
  spec.training.retrain_every_h = 1;
  spec.training.max_window_examples = 3;
  auto stage = make_stage("beta", model_params("beta", {{"prior_alpha", 1.0}, {"prior_beta", 1.0}}),
                          spec, catalog.context());
  std::uint64_t transaction = 0;
  for (bool label : {true, true, false, false, false})
    stage->add(hours_to_time(0.5), click_example(transaction++, 0, label), 0.0);
  stage->advance(hours_to_time(1));
  CHECK(served(*stage) == Approx(0.2).epsilon(1e-12));
}

TEST_CASE("a batch-only model refuses an online schedule", "[stage]") {
  const TestCatalog catalog(1);
  CHECK_THROWS_AS(make_stage("gbdt", model_params("gbdt"), default_spec(), catalog.context()),
                  std::invalid_argument);
}

TEST_CASE("the cold-start rate is served until the model is ready", "[stage]") {
  // ftrl is not ready before its first update; with batch size 2 that is after the second
  // example. Then the stage serves the injected odds x 2 of what a bare ftrl trained on the same
  // batch predicts; the cold-start rate itself is served as configured.
  const TestCatalog catalog(2);
  ModelStageSpec spec = default_spec();
  spec.training.batch_size = 2;
  spec.training.cold_start_rate = 0.07;
  spec.miscalibration.odds_multiplier = 2;
  const ParamValues params = model_params("ftrl");
  auto stage = make_stage("ftrl", params, spec, catalog.context());
  const RequestFeatures request;
  const std::vector<std::uint32_t> offers = {0, 1};
  const std::vector<int> slots = {0, 3};
  std::vector<double> raw(2), out(2);
  const auto expect_cold = [&] {
    stage->evaluate(request, offers, slots, raw, out);
    CHECK(raw == std::vector<double>{0.07, 0.07});
    CHECK(out == std::vector<double>{0.07, 0.07});
    stage->predict(request, offers, out);
    CHECK(out == std::vector<double>{0.07, 0.07});
  };
  expect_cold();
  const std::vector<Example> batch = {click_example(0, 0, true), click_example(1, 1, false)};
  stage->add(0, batch[0], 0.07);
  expect_cold();
  stage->add(0, batch[1], 0.07);
  auto bare = predictor_registry().create("ftrl", params, catalog.context());
  bare->train(batch);
  std::vector<double> expected(2);
  bare->predict(request, offers, expected);
  stage->predict(request, offers, out);
  for (int i = 0; i < 2; ++i)
    CHECK(out[i] == Approx(sigmoid(logit(expected[i]) + std::log(2.0))).epsilon(1e-12));
}

TEST_CASE("injected miscalibration serves sigmoid(logit(p) / T + ln m)", "[stage]") {
  // Four offers learned to different rates; every (T, m) pair must map the model's p exactly
  // (up to the rounding of a few double operations) and, without a calibrator, serve what it
  // evaluates as raw.
  const TestCatalog catalog(4);
  const RequestFeatures request;
  const std::vector<std::uint32_t> offers = {0, 1, 2, 3};
  const std::vector<int> slots = {0, 1, 2, 3};
  for (const double temperature : {0.5, 1.0, 2.0})
    for (const double odds : {0.5, 1.0, 3.0}) {
      ModelStageSpec spec = default_spec();
      spec.miscalibration.temperature = temperature;
      spec.miscalibration.odds_multiplier = odds;
      auto stage = make_stage("beta", model_params("beta"), spec, catalog.context());
      std::uint64_t transaction = 0;
      for (std::uint32_t offer = 0; offer < 4; ++offer)
        for (std::uint32_t k = 0; k < 10 * offer; ++k)
          stage->add(0, click_example(transaction++, offer, k % (offer + 1) == 0), 0.0);
      std::vector<double> p(4), raw(4), out(4);
      stage->model().predict(request, offers, p);
      stage->evaluate(request, offers, slots, raw, out);
      INFO("T = " << temperature << ", m = " << odds);
      for (int i = 0; i < 4; ++i) {
        const double expected = sigmoid(logit(p[i]) / temperature + std::log(odds));
        CHECK(raw[i] == Approx(expected).epsilon(1e-12));
        CHECK(out[i] == raw[i]);
        CHECK(served(*stage, offers[i]) == Approx(expected).epsilon(1e-12));
      }
    }
}

TEST_CASE("the stage's calibrator refits on every wanted example of its window", "[stage]") {
  // The model never retrains (first retrain after 1e5 h), so it predicts Beta(1, 3)'s 1/4 and
  // the stage's raw prediction is the injected odds x 2 of it, 0.4. Isotonic on one distinct raw
  // value is one block: it serves the window's observed rate. Refits every hour need 8 pairs in a
  // 2 h window: at 1 h only 7 (no refit, 0.4 served); at 2 h those 7 (3 clicks) and one more
  // non-click: 3 / 8; at 3 h the 0.5 h pairs have left the window: 1.5 h's non-click and 2.5 h's
  // 6 clicks in 8 give 6 / 9. The calibrator sees every wanted example, not only those kept by
  // the (heavy) downsampling, and no unwanted one.
  const TestCatalog catalog(1);
  ModelStageSpec spec = default_spec();
  spec.training.schedule = TrainingSpec::Schedule::kBatch;
  spec.training.retrain_every_h = 1e5;
  spec.training.negative_rate = 0.1;
  spec.training.correction = TrainingSpec::Correction::kNone;
  spec.miscalibration.odds_multiplier = 2;
  spec.calibration.method = "isotonic";
  spec.calibration.window_h = 2;
  spec.calibration.refit_every_h = 1;
  spec.calibration.min_examples = 8;
  auto stage = make_stage("beta", model_params("beta", {{"prior_alpha", 1.0}, {"prior_beta", 3.0}}),
                          spec, catalog.context());
  const RequestFeatures request;
  const std::vector<std::uint32_t> offers = {0};
  const std::vector<int> slots = {0};
  std::vector<double> raw(1), out(1);
  std::uint64_t transaction = 0;
  const auto add = [&](double hours, int clicks, int non_clicks) {
    for (int k = 0; k < clicks + non_clicks; ++k) {
      stage->evaluate(request, offers, slots, raw, out);
      stage->add(hours_to_time(hours), click_example(transaction++, 0, k < clicks), raw[0]);
      stage->add(hours_to_time(hours), Example{}, raw[0]);  // not wanted: no pair
    }
  };
  add(0.5, 3, 4);
  stage->advance(hours_to_time(1));
  CHECK(stage->counts().calibrations == 0);
  stage->evaluate(request, offers, slots, raw, out);
  CHECK(raw[0] == Approx(0.4).epsilon(1e-12));
  CHECK(out[0] == Approx(0.4).epsilon(1e-12));
  add(1.5, 0, 1);
  stage->advance(hours_to_time(2));
  CHECK(stage->counts().calibrations == 1);
  CHECK(served(*stage) == Approx(3.0 / 8).epsilon(1e-12));
  add(2.5, 6, 2);
  stage->advance(hours_to_time(3));
  CHECK(stage->counts().calibrations == 2);
  stage->evaluate(request, offers, slots, raw, out);
  CHECK(raw[0] == Approx(0.4).epsilon(1e-12));
  CHECK(out[0] == Approx(6.0 / 9).epsilon(1e-12));
  CHECK(stage->counts().examples == 16);
}

TEST_CASE("two stages on the same stream serve bit-identical predictions", "[stage]") {
  // Everything that draws randomness at once: downsampling coins, weighted examples, shuffled
  // mini-batches of warm-started batch retrains, and a calibrator refitted on the way.
  const TestCatalog catalog(6);
  ModelStageSpec spec = default_spec();
  spec.training.schedule = TrainingSpec::Schedule::kBatch;
  spec.training.retrain_every_h = 1;
  spec.training.window_h = 3;
  spec.training.epochs = 2;
  spec.training.batch_size = 16;
  spec.training.negative_rate = 0.5;
  spec.training.correction = TrainingSpec::Correction::kWeight;
  spec.calibration.method = "platt";
  spec.calibration.min_examples = 100;
  spec.miscalibration.odds_multiplier = 1.3;
  std::unique_ptr<ModelStage> stages[2];
  for (auto& stage : stages)
    stage = make_stage("ftrl", model_params("ftrl"), spec, catalog.context());
  RngStream rng(ReplicationKey{9, 0}, "model_stage_test.determinism", 0);
  boost::random::bernoulli_distribution<double> click(0.2);
  const RequestFeatures request;
  const std::vector<std::uint32_t> offers = {0, 1, 2, 3, 4, 5};
  const std::vector<int> slots = {0, 1, 2, 3, 4, 5};
  std::vector<double> predictions[2];
  std::uint64_t transaction = 0;
  for (int step = 0; step < 6 * 300; ++step) {
    const SimTime now = hours_to_time(step / 300.0);
    Example e = click_example(transaction++, static_cast<std::uint32_t>(step % 6), click(rng));
    e.slot = static_cast<std::uint8_t>(step % 4);
    for (int s = 0; s < 2; ++s) {
      std::vector<double> raw(6), out(6);
      stages[s]->evaluate(request, offers, slots, raw, out);
      predictions[s].insert(predictions[s].end(), out.begin(), out.end());
      stages[s]->add(now, e, raw[e.offer]);
      stages[s]->advance(now);
    }
  }
  CHECK(predictions[0] == predictions[1]);
  CHECK(stages[0]->counts().retrains == 5);
  CHECK(stages[0]->counts().calibrations > 0);
  CHECK(stages[0]->counts().trained < stages[0]->counts().examples);
}
