// Inputs for the explorer tests: scores alone, or a model's predictions with what UCB1 and
// Thompson sampling ask of the model; and an explorer's declared defaults.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/predictor.h"
#include "policies/exploration/explorer.h"
#include "sim/core/param.h"

namespace marketsim::testing {

// An input with scores only (values and pCTRs unused by greedy, epsilon-greedy and softmax). The
// scores must outlive the input.
inline ExplorationInput scores_only(const std::vector<double>& scores) {
  return ExplorationInput{scores, {}, {}, {}, nullptr, nullptr};
}

// The declared defaults of the explorer `name`.
inline ParamValues explorer_defaults(const std::string& name) {
  for (const auto& info : explorer_registry().components())
    if (info.name == name) return defaults_of(info.params);
  throw std::invalid_argument("no explorer " + name);
}

// A full exploration input over offers 0..n-1 with value per click 1, so score = pCTR = the
// model's prediction for the default request.
struct ModelInput {
  ModelInput(const Predictor& model, int n) : offers(n), pctr(n), values(n, 1.0) {
    for (int i = 0; i < n; ++i) offers[i] = static_cast<std::uint32_t>(i);
    model.predict(features, offers, pctr);
    input = ExplorationInput{pctr, values, pctr, offers, &model, &features};
  }
  ModelInput(const ModelInput&) = delete;  // `input` points into this object
  RequestFeatures features;
  std::vector<std::uint32_t> offers;
  std::vector<double> pctr;
  std::vector<double> values;
  ExplorationInput input;
};

}  // namespace marketsim::testing
