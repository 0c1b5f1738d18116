// ModelStage: online mini-batches, scheduled batch retrains (window, eviction, warm or cold start,
// warm-up) against posterior means computed by hand, batch-only models and the cold-start rate.
#include <catch2/catch.hpp>

#include <cmath>
#include <iterator>
#include <vector>

#include "models/sigmoid.h"
#include "tests/models/model_stage_test_support.h"

using namespace marketsim;
using namespace marketsim::testing;

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
