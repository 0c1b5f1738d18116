// Every registered model's declared footprint (what the memory estimate counts) against what the
// model holds once built, or against a hand count where the model does not report its memory.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "models/neural_model.h"
#include "tests/models/model_test_support.h"

using namespace marketsim;

namespace {

// The declared defaults of registered model `name`.
ParamValues params_of(const std::string& name) {
  for (const ComponentInfo& info : predictor_registry().components())
    if (info.name == name) return defaults_of(info.params);
  throw std::logic_error("no model " + name);
}

}  // namespace

TEST_CASE("the neural models declare the state their networks hold", "[models][nn]") {
  const testing::TestCatalog catalog(6);
  FeatureSpec features = FeatureSpec::from(defaults_of(FeatureSpec::declare()));
  features.hash_bits = 7;
  for (const char* name : {"fm", "dcn_v2", "mmoe", "esmm"}) {
    INFO(name);
    const ParamValues params = params_of(name);
    const PredictorContext context = catalog.context(Task::kClick, features);
    const auto model = predictor_registry().create(name, params, context);
    const auto& neural = dynamic_cast<const NeuralModel&>(*model);
    const Footprint declared = predictor_registry().footprint(name, params, context);
    CHECK(declared.bytes == neural.network().state_bytes());
    CHECK(declared.flops_per_prediction == neural.network().forward_flops_per_example());
    // By hand: 128 more buckets of 8 floats (fm: 8 factors and a linear weight) with Adam's two
    // moments, and a 4-byte index each.
    features.hash_bits = 8;
    const double floats = std::string(name) == "fm" ? 9 : 8;
    CHECK(predictor_registry()
                  .footprint(name, params, catalog.context(Task::kClick, features))
                  .bytes -
              declared.bytes ==
          128 * (floats * 4 * 3 + 4));
    features.hash_bits = 7;
  }
}

TEST_CASE("the hashed linear models declare their per-bucket state", "[models]") {
  const testing::TestCatalog catalog(6);
  FeatureSpec features = FeatureSpec::from(defaults_of(FeatureSpec::declare()));
  features.hash_bits = 10;
  const PredictorContext context = catalog.context(Task::kClick, features);
  // By hand: logistic_laplace keeps a mean and a precision (two doubles) per bucket of its own
  // hash_bits (default 18); ftrl keeps z, n and w per bucket of the features' and a bias.
  CHECK(predictor_registry()
            .footprint("logistic_laplace", params_of("logistic_laplace"), context)
            .bytes == (1 << 18) * 16.0);
  CHECK(predictor_registry().footprint("ftrl", params_of("ftrl"), context).bytes ==
        ((1 << 10) + 1) * 24.0);
  // Models whose state is per offer or smaller declare none.
  CHECK(predictor_registry().footprint("beta", params_of("beta"), context).bytes == 0);
  CHECK_THROWS_AS(predictor_registry().footprint("nope", ParamValues{}, context),
                  std::invalid_argument);
}
