// Helpers of the ModelStage tests: stages over registered models, click examples, served values.
#pragma once

#include <boost/random/bernoulli_distribution.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "models/predictor.h"
#include "models/training/model_stage.h"
#include "sim/core/rng.h"
#include "tests/models/model_test_support.h"

namespace marketsim::testing {

inline constexpr ReplicationKey kKey{7, 0};

inline ModelStageSpec default_spec() {
  return ModelStageSpec::from(defaults_of(ModelStageSpec::declare()));
}

// The declared defaults of registered model `name`, with `overrides`.
inline ParamValues model_params(
    const std::string& name,
    const std::vector<std::pair<std::string, ParamValue>>& overrides = {}) {
  for (const ComponentInfo& info : predictor_registry().components())
    if (info.name == name) {
      ParamValues values = defaults_of(info.params);
      for (const auto& [key, value] : overrides) values.set(key, value);
      return values;
    }
  throw std::invalid_argument("no model " + name);
}

inline std::unique_ptr<ModelStage> make_stage(const std::string& model, const ParamValues& params,
                                              const ModelStageSpec& spec,
                                              const PredictorContext& context) {
  return std::make_unique<ModelStage>(predictor_registry().create(model, params, context), spec,
                                      kKey, context.stream);
}

// A beta model with a vanishing prior: its prediction is positives / examples up to 2e-6 / n.
inline ParamValues empirical_beta() {
  return model_params("beta", {{"prior_alpha", 1e-6}, {"prior_beta", 1e-6}});
}

// A matured click label of impression `transaction` of `offer`.
inline Example click_example(std::uint64_t transaction, std::uint32_t offer, bool clicked) {
  Example e;
  e.transaction = transaction;
  e.offer = offer;
  e.clicked = clicked;
  e.set(Task::kClick, clicked);
  return e;
}

// The stage's served probability of `offer` (reference slot, empty request).
inline double served(const ModelStage& stage, std::uint32_t offer = 0) {
  const std::vector<std::uint32_t> offers = {offer};
  std::vector<double> out(1);
  stage.predict(RequestFeatures{}, offers, out);
  return out[0];
}

// Beta(alpha, beta) posterior mean after `positives` of `examples`.
inline double posterior_mean(double alpha, double beta, double positives, double examples) {
  return (alpha + positives) / (alpha + beta + examples);
}

// `n` click examples of offer 0, clicked with probability `rate`, transactions 0 .. n - 1.
inline std::vector<Example> click_stream(int n, double rate, std::uint32_t stream) {
  RngStream rng(ReplicationKey{9, 0}, "model_stage_test.clicks", stream);
  boost::random::bernoulli_distribution<double> click(rate);
  std::vector<Example> out;
  for (int i = 0; i < n; ++i)
    out.push_back(click_example(static_cast<std::uint64_t>(i), 0, click(rng)));
  return out;
}

inline double positives_of(const std::vector<Example>& examples, Task task) {
  double n = 0;
  for (const Example& e : examples) n += e.has(task) && e.label(task) ? 1 : 0;
  return n;
}

}  // namespace marketsim::testing
