// Tests of the models' part of the resource estimate: their memory, CPU and refusals.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "models/example.h"
#include "models/predictor.h"
#include "sim/core/error.h"
#include "sim/scenario/scenario.h"
#include "sim/world/resource_estimate.h"
#include "sim/world/world_spec.h"
#include "tests/sim/estimate_test_support.h"

using namespace marketsim;
using namespace marketsim::estimate_test;

TEST_CASE("models grow the memory estimate by their state and batch windows") {
  const auto estimate = [](const std::vector<std::string>& overrides) {
    std::vector<std::string> all = {"partners.slots=2"};
    all.insert(all.end(), overrides.begin(), overrides.end());
    return estimate_resources(cell_worlds(parse(kFlat, all)), 1);
  };
  const ResourceEstimate base = estimate({});
  CHECK(base.model_bytes == 0);  // the beta models declare none
  // By hand: a dcn_v2 ranker with 2^20 buckets of 8 floats, Adam (value and two moments) and a
  // 4-byte index per bucket, plus its dense layers (about a megabyte here).
  const ResourceEstimate dcn =
      estimate({"recommender.ranker.type=\"dcn_v2\"", "recommender.ranker.features.hash_bits=20"});
  const double embedding = (1 << 20) * (8 * 4 * 3 + 4.0);
  CHECK(dcn.model_bytes > embedding);
  CHECK(dcn.model_bytes < embedding + 2e6);
  CHECK(dcn.peak_bytes - base.peak_bytes == Approx(dcn.model_bytes));
  CHECK(dcn.largest_model_key == "recommender.ranker.type");
  // A batch-trained ranker keeps every impression (2,000 an hour) of its window plus the time to
  // the next retrain, 3 h here, or max_window_examples when fewer: each with its time, and again
  // in the buffer a retrain fits.
  const std::vector<std::string> batch = {"recommender.ranker.training.schedule=\"batch\"",
                                          "recommender.ranker.training.window_h=2.0",
                                          "recommender.ranker.training.retrain_every_h=1.0"};
  const double per_example = sizeof(SimTime) + 2 * sizeof(Example);
  CHECK(estimate(batch).model_bytes == Approx(2000 * 3 * per_example));
  std::vector<std::string> capped = batch;
  capped.push_back("recommender.ranker.training.max_window_examples=1000");
  CHECK(estimate(capped).model_bytes == Approx(1000 * per_example));
  // The window fills from the start until the first retrain, after the warm-up: 5 + 1 h here.
  std::vector<std::string> warm = batch;
  warm.push_back("recommender.ranker.training.warm_up_h=5.0");
  CHECK(estimate(warm).model_bytes == Approx(2000 * 6 * per_example));
  // The user-value role is built but, with the objective not using it, gets no labels: no window.
  CHECK(estimate({"recommender.user_value_model.training.schedule=\"batch\""}).model_bytes == 0);
  // A calibrated ranker keeps a 24-byte (time, prediction, label) pair of every impression of
  // its window plus the time to the next refit, and a refit copies prediction and label (9 bytes).
  CHECK(estimate({"recommender.ranker.calibration.method=\"platt\"",
                  "recommender.ranker.calibration.window_h=5.0",
                  "recommender.ranker.calibration.refit_every_h=1.0"})
            .model_bytes == Approx(2000 * 6 * 33.0));
  // ann keeps each user's embedding (4 bytes per latent dimension) and whether it has one.
  const ResourceEstimate ann = estimate({"recommender.candidates.type=\"ann\""});
  CHECK(ann.model_bytes == Approx(1000 * (4.0 * 8 + 1)));
  // cheap_model holds its inner model, built with its defaults.
  const ParamValues dcn_defaults = defaults_of([] {
    for (const ComponentInfo& info : predictor_registry().components())
      if (info.name == "dcn_v2") return info.params;
    return std::vector<ParamSpec>{};
  }());
  const double inner =
      predictor_registry()
          .footprint(
              "dcn_v2", dcn_defaults,
              PredictorContext{
                  Task::kClick, {}, FeatureSpec::from(defaults_of(FeatureSpec::declare())), {}, 0})
          .bytes;
  REQUIRE(inner > 0);
  CHECK(estimate({"recommender.candidates.type=\"cheap_model\"",
                  "recommender.candidates.cheap_model.model=\"dcn_v2\""})
            .model_bytes == Approx(inner));
  // Collaborative filtering counts clicks and impressions (4 bytes each) per segment (4 devices
  // and 5 regions with a missing value each, 5 age bands likewise, returning or not: 200) and
  // catalog entry (the ads' creatives and each partner's first-party offers).
  const std::vector<WorldSpec> flat = cell_worlds(parse(kFlat));
  const AdvertiserSpec& ads = flat.front().advertisers;
  const double offers =
      static_cast<double>(ads.count * ads.offers_per_advertiser * ads.creatives_per_offer +
                          10 * flat.front().partners.first_party_offers);
  const ResourceEstimate collaborative =
      estimate({"recommender.candidates.type=\"collaborative\""});
  CHECK(collaborative.model_bytes == Approx(8.0 * 200 * offers));
  CHECK(collaborative.largest_model_key == "recommender.candidates.type");
  // Two threads run two replications' worlds at once, each with its model.
  std::vector<std::string> two = {"recommender.ranker.type=\"dcn_v2\"",
                                  "recommender.ranker.features.hash_bits=20", "run.replications=2"};
  std::vector<std::string> all = {"partners.slots=2"};
  all.insert(all.end(), two.begin(), two.end());
  CHECK(estimate_resources(cell_worlds(parse(kFlat, all)), 2).model_bytes ==
        Approx(2 * dcn.model_bytes));
}

TEST_CASE("networks add their arithmetic to the CPU estimate") {
  const auto estimate = [](const std::vector<std::string>& overrides) {
    std::vector<std::string> all = {"partners.slots=2", "partners.first_party_offers=0",
                                    "recommender.candidates.type=\"content\"",
                                    "recommender.candidates.content.k=10"};
    all.insert(all.end(), overrides.begin(), overrides.end());
    const std::vector<WorldSpec> cells = cell_worlds(parse(kFlat, all));
    return std::pair{estimate_resources(cells, 1), cells.front().recommender};
  };
  const auto [base, beta] = estimate({});
  CHECK(base.cpu_seconds ==
        Approx(24000 / kTransactionsPerCpuSecond + 1000 * kPopulationCpuSecondsPerUser));
  // By hand: 24,000 requests, each predicting 10 candidates and then 2 shown slots at 25 GFLOP/s,
  // and 48,000 impressions learned at 6 GFLOP/s of the network's forward flops.
  const std::vector<std::string> dcn = {"recommender.ranker.type=\"dcn_v2\""};
  const auto [online, r] = estimate(dcn);
  const double flops = predictor_registry()
                           .footprint("dcn_v2", r.ranker.model.params,
                                      PredictorContext{Task::kClick, {}, r.ranker.features, {}, 0})
                           .flops_per_prediction;
  REQUIRE(flops > 0);
  const double serving = 24000 * 12 * flops / 25e9;
  CHECK(online.cpu_seconds - base.cpu_seconds == Approx(serving + 48000 * flops / 6e9));
  // In batch: 3 retrains (at 6, 12 and 18 h) over the impressions of their 12-hour window that
  // have happened (12,000, then 24,000 twice), twice (2 epochs).
  std::vector<std::string> batch = dcn;
  batch.insert(batch.end(), {"recommender.ranker.training.schedule=\"batch\"",
                             "recommender.ranker.training.retrain_every_h=6.0",
                             "recommender.ranker.training.window_h=12.0",
                             "recommender.ranker.training.epochs=2"});
  CHECK(estimate(batch).first.cpu_seconds - base.cpu_seconds ==
        Approx(serving + 60000 * 2 * flops / 6e9));
  // An mmoe conversion model learns its click head on every impression too; a dcn_v2 one learns
  // on clicks only (left out) and predicts as much.
  const auto conversion = [&](const std::string& type) {
    const auto [e, spec] = estimate({"recommender.conversion_model.type=\"" + type + "\""});
    const double f =
        predictor_registry()
            .footprint(
                type, spec.conversion_model.model.params,
                PredictorContext{Task::kConversion, {}, spec.conversion_model.features, {}, 0})
            .flops_per_prediction;
    return std::pair{e.cpu_seconds - base.cpu_seconds, f};
  };
  const auto [mmoe_seconds, mmoe_flops] = conversion("mmoe");
  CHECK(mmoe_seconds == Approx(24000 * 12 * mmoe_flops / 25e9 + 48000 * mmoe_flops / 6e9));
  const auto [dcn_seconds, dcn_flops] = conversion("dcn_v2");
  CHECK(dcn_seconds == Approx(24000 * 12 * dcn_flops / 25e9));
}

TEST_CASE("hashed learners add their CPU per prediction to the estimate") {
  const std::vector<std::string> shape = {"partners.slots=2", "partners.first_party_offers=0",
                                          "recommender.candidates.type=\"content\"",
                                          "recommender.candidates.content.k=10"};
  const auto cpu = [&](const std::string& ranker) {
    std::vector<std::string> all = shape;
    all.push_back("recommender.ranker.type=\"" + ranker + "\"");
    const std::vector<WorldSpec> cells = cell_worlds(parse(kFlat, all));
    const ModelRoleSpec& role = cells.front().recommender.ranker;
    const double per_prediction =
        predictor_registry()
            .footprint(ranker, role.model.params,
                       PredictorContext{Task::kClick, {}, role.features, {}, 0})
            .cpu_seconds_per_prediction;
    return std::pair{estimate_resources(cells, 1).cpu_seconds, per_prediction};
  };
  const auto [beta, none] = cpu("beta");
  CHECK(none == 0);
  // By hand: 24,000 requests, each predicting 10 candidates and then 2 shown slots.
  for (const char* ranker : {"ftrl", "logistic_laplace"}) {
    const auto [seconds, per_prediction] = cpu(ranker);
    REQUIRE(per_prediction > 0);
    CHECK(seconds - beta == Approx(24000 * 12 * per_prediction));
  }
}

TEST_CASE("boosted trees add their calls, their trees in force and their fits to the estimate") {
  const std::vector<std::string> shape = {"partners.slots=2",
                                          "partners.first_party_offers=0",
                                          "recommender.candidates.type=\"content\"",
                                          "recommender.candidates.content.k=10",
                                          "recommender.ranker.training.schedule=\"batch\"",
                                          "recommender.ranker.training.retrain_every_h=6.0",
                                          "recommender.ranker.training.window_h=12.0"};
  const auto estimate = [&](const std::string& ranker, const std::string& warm_start,
                            const std::string& profile = "") {
    std::vector<std::string> all = shape;
    all.push_back("recommender.ranker.type=\"" + ranker + "\"");
    all.push_back("recommender.ranker.training.warm_start=" + warm_start);
    if (!profile.empty()) all.push_back("partners.hourly_profile=" + profile);
    const std::vector<WorldSpec> cells = cell_worlds(parse(kFlat, all));
    const ModelRoleSpec& role = cells.front().recommender.ranker;
    const Footprint footprint = predictor_registry().footprint(
        ranker, role.model.params, PredictorContext{Task::kClick, {}, role.features, {}, 0});
    return std::pair{estimate_resources(cells, 1), footprint};
  };
  const auto [beta, none] = estimate("beta", "true");
  CHECK(none.cpu_seconds_per_call == 0);
  CHECK(none.bytes_per_fit == 0);
  const auto [warm, trees] = estimate("gbdt", "true");
  REQUIRE(trees.cpu_seconds_per_call > 0);
  REQUIRE(trees.cpu_seconds_per_prediction_per_fit > 0);
  REQUIRE(trees.cpu_seconds_per_fitted_example > 0);
  REQUIRE(trees.bytes_per_fit > 0);
  REQUIRE(trees.bytes_per_fitted_example > 0);
  // By hand: 24,000 requests, each a call over 10 candidates and one over 2 shown slots; fits at 6,
  // 12 and 18 h over 12,000, 24,000 and 24,000 impressions (the 12-hour window); a prediction
  // carries on average (18 + 12 + 6) / 24 = 1.5 fits' trees when warm-started, (24 - 6) / 24 when
  // each fit replaces the last. The largest fit holds 24,000 rows; warm-started, 3 fits' trees.
  const double calls = 48000 * trees.cpu_seconds_per_call;
  const double fitting = 60000 * trees.cpu_seconds_per_fitted_example;
  const double per_fit = 24000 * 12 * trees.cpu_seconds_per_prediction_per_fit;
  CHECK(warm.cpu_seconds - beta.cpu_seconds == Approx(calls + fitting + 1.5 * per_fit));
  CHECK(warm.model_bytes - beta.model_bytes ==
        Approx(3 * trees.bytes_per_fit + 24000 * trees.bytes_per_fitted_example));
  const auto [cold, same] = estimate("gbdt", "false");
  CHECK(cold.cpu_seconds - beta.cpu_seconds == Approx(calls + fitting + 0.75 * per_fit));
  CHECK(cold.model_bytes - beta.model_bytes ==
        Approx(trees.bytes_per_fit + 24000 * trees.bytes_per_fitted_example));
  // No traffic in the first half of the day: 12,000 requests, 1,000 an hour. The fits at 6 and
  // 12 h find no impressions, the one at 18 h 12,000 (6 hours of them); the first two fits' trees
  // serve every request, the third's half of them.
  std::string evening = "[0.0";
  for (int h = 1; h < 24; ++h) evening += h < 12 ? ", 0.0" : ", 1.0";
  evening += "]";
  const auto [late_beta, unused] = estimate("beta", "true", evening);
  const auto [late, again] = estimate("gbdt", "true", evening);
  CHECK(late.cpu_seconds - late_beta.cpu_seconds ==
        Approx(calls / 2 + 12000 * trees.cpu_seconds_per_fitted_example + 2.5 * per_fit / 2));
}

TEST_CASE("a model too large for the machine is refused naming its role") {
  // 206 GB a world (2^26 rows of 256 floats with Adam), 64 at once: 13 TB on any machine.
  const Scenario huge =
      parse(kFlat, {"recommender.conversion_model.type=\"dcn_v2\"",
                    "recommender.conversion_model.dcn_v2.embedding_dim=256",
                    "recommender.conversion_model.features.hash_bits=26", "run.replications=64"});
  CHECK_THROWS_WITH(check_resources(huge, cell_worlds(huge), 64),
                    Catch::Contains("recommender.conversion_model.type: needs more memory"));
}

TEST_CASE("a model too large for the machine is refused where its cell, arm or target sets it") {
  // A 206 GB ranker, chosen by one cell, one arm or one off-policy target.
  const std::string huge =
      "{ \"recommender.ranker.type\" = \"dcn_v2\", \"recommender.ranker.dcn_v2.embedding_dim\" = "
      "256, \"recommender.ranker.features.hash_bits\" = 26 }\n";
  const auto refusal = [](const std::string& text) {
    const Scenario scenario = parse(text);
    try {
      check_resources(scenario, cell_worlds(scenario), 1);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("not refused");
  };
  CHECK_THAT(refusal("[run]\nlog_every = 100\n[[cells]]\nname = \"small\"\n[[cells]]\nname = "
                     "\"huge\"\nset = " +
                     huge),
             Catch::StartsWith("s.toml:7:37: recommender.ranker.type: needs more memory"));
  CHECK_THAT(refusal("[[experiments]]\nname = \"e\"\n[[arms]]\nexperiment = \"e\"\nname = "
                     "\"control\"\n[[arms]]\nexperiment = \"e\"\nname = \"huge\"\nset = " +
                     huge),
             Catch::StartsWith("s.toml:6:1: arms.set: arm \"huge\" of experiment \"e\": "
                               "recommender.ranker.type: needs more memory"));
  CHECK_THAT(
      refusal("[run]\nlog_every = 100\n[[ope]]\nname = \"small\"\n[[ope]]\nname = "
              "\"huge\"\nset = " +
              huge),
      Catch::StartsWith(
          "s.toml:5:1: ope.set: target \"huge\": recommender.ranker.type: needs more memory"));
}
