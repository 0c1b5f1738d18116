// ModelStage: the injected miscalibration formula, the calibrator refitted inside the stage and
// determinism.
#include <catch2/catch.hpp>

#include <cmath>
#include <iterator>
#include <vector>

#include "models/sigmoid.h"
#include "tests/models/model_stage_test_support.h"

using namespace marketsim;
using namespace marketsim::testing;

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

TEST_CASE("a stage evaluates shown offers as it predicted them only where nothing differs",
          "[stage]") {
  // evaluates_as_predicted(slot) lets serving reuse its ranking predictions for the shown
  // offers, so wherever it holds, evaluate() must give raw and served bit-equal to predict() (at
  // the reference slot); it must not hold where the slot, a distortion, a downsampling correction
  // or a calibrator makes them differ.
  const TestCatalog catalog(6);
  FeatureSpec slot_free_features = FeatureSpec::from(defaults_of(FeatureSpec::declare()));
  std::erase_if(slot_free_features.columns, [](const FeatureColumn& c) {
    return c.first == Field::kSlot || c.second == Field::kSlot;
  });
  FeatureSpec slot_two = FeatureSpec::from(defaults_of(FeatureSpec::declare()));
  slot_two.reference_slot = 2;
  struct Case {
    const char* model;
    FeatureSpec features;
    bool uses_slot;
  };
  const std::vector<Case> models = {
      {"beta", catalog.context().features, false},
      {"ftrl", slot_free_features, false},
      {"ftrl", catalog.context().features, true},
      {"ftrl", slot_two, true},
      {"logistic_laplace", catalog.context().features, false},  // fixed features, no slot
  };
  const auto with = [](auto change) {
    ModelStageSpec spec = default_spec();
    change(spec);
    return spec;
  };
  const std::vector<std::pair<ModelStageSpec, bool>> stage_specs = {
      {default_spec(), true},
      {with([](ModelStageSpec& s) { s.miscalibration.temperature = 2; }), false},
      {with([](ModelStageSpec& s) { s.miscalibration.odds_multiplier = 1.5; }), false},
      {with([](ModelStageSpec& s) { s.calibration.method = "platt"; }), false},
      {with([](ModelStageSpec& s) {
         s.training.negative_rate = 0.5;
         s.training.correction = TrainingSpec::Correction::kRecalibrate;
       }),
       false},
      {with([](ModelStageSpec& s) {
         s.training.negative_rate = 0.5;
         s.training.correction = TrainingSpec::Correction::kWeight;
       }),
       true},
  };
  RequestFeatures request;
  request.device = 1;
  request.partner = 3;
  const std::vector<std::uint32_t> offers = {0, 1, 2, 3, 4, 5};
  for (const Case& m : models)
    for (const auto& [spec, plain] : stage_specs) {
      const PredictorContext context = catalog.context(Task::kClick, m.features);
      auto stage = make_stage(m.model, model_params(m.model), spec, context);
      for (std::uint64_t t = 0; t < 60; ++t) {
        Example e = click_example(t, static_cast<std::uint32_t>(t % 6), t % 5 == 0);
        e.slot = static_cast<std::uint8_t>(t % 3);
        stage->add(0, e, 0.0);
      }
      std::vector<double> predicted(offers.size());
      stage->predict(request, offers, predicted);
      INFO(m.model << ", slot used: " << m.uses_slot << ", plain stage: " << plain);
      REQUIRE(stage->uses_slot() == m.uses_slot);
      for (int slot = 0; slot < 4; ++slot) {
        INFO("slot " << slot);
        const bool same_slot = !m.uses_slot || slot == stage->reference_slot();
        CHECK(stage->evaluates_as_predicted(slot) == (plain && same_slot));
        if (!stage->evaluates_as_predicted(slot)) continue;
        const std::vector<int> slots(offers.size(), slot);
        std::vector<double> raw(offers.size()), out(offers.size());
        stage->evaluate(request, offers, slots, raw, out);
        CHECK(raw == predicted);
        CHECK(out == predicted);
      }
    }
}

namespace {

// A model that predicts one fixed value, in [0, 1] or not.
class FixedModel final : public Predictor {
 public:
  explicit FixedModel(double value) : Predictor(Task::kClick, 0), value_(value) {}

 private:
  void do_predict(const RequestFeatures&, std::span<const std::uint32_t>, int,
                  std::span<double> out) const override {
    for (double& p : out) p = value_;
  }
  void do_train(std::span<const Example>) override {}
  void do_reset() override {}

  double value_;
};

}  // namespace

TEST_CASE("a probability outside [0, 1] from the model is refused, directly and through a stage",
          "[stage]") {
  // A stage that serves the model's values as they are checks them once, after the call; one that
  // transforms them (injected miscalibration, a calibrator) checks them before, as the transforms
  // could bring them back into [0, 1].
  ModelStageSpec miscalibrated = default_spec(), calibrated = default_spec();
  miscalibrated.miscalibration.odds_multiplier = 2;
  calibrated.calibration.method = "isotonic";
  const RequestFeatures request;
  const std::vector<std::uint32_t> offers = {0, 1, 2};
  std::vector<double> out(offers.size());
  for (const double value : {-0.1, 1.5, std::nan("")}) {
    CAPTURE(value);
    const FixedModel model(value);
    CHECK_THROWS_AS(model.predict(request, offers, out), std::logic_error);
    for (const ModelStageSpec& spec : {default_spec(), miscalibrated, calibrated}) {
      const ModelStage stage(std::make_unique<FixedModel>(value), spec, kKey, 0);
      CHECK_THROWS_AS(stage.predict(request, offers, out), std::logic_error);
    }
  }
  for (const double value : {0.0, 0.25, 1.0}) {
    const ModelStage stage(std::make_unique<FixedModel>(value), default_spec(), kKey, 0);
    stage.predict(request, offers, out);
    CHECK(out == std::vector<double>(offers.size(), value));
  }
}
