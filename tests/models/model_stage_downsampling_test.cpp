// ModelStage: negative downsampling and its corrections against the binomial theory of the kept
// stream, for a click stage and for a conversion stage.
#include <catch2/catch.hpp>

#include <cmath>
#include <iterator>
#include <vector>

#include "models/sigmoid.h"
#include "tests/models/model_stage_test_support.h"

using namespace marketsim;
using namespace marketsim::testing;

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
