// NeuralModel: a network of marketsim::nn (FM, DCN-V2, MMoE, ESMM) as a registered model.
#pragma once

#include <memory>
#include <vector>

#include "models/feature_model.h"
#include "models/nn/network.h"

namespace marketsim {

// Which label trains one output of a network: the task's label, on every example that carries
// it, or only on clicked ones when `given_click` (conversion and return given a click). An
// output that is not `trained` (a task with loss weight 0) is always masked, and its labels are
// not waited for.
struct OutputTarget {
  Task task;
  bool given_click;
  bool trained = true;
  double prior = 0.05;  // the output's probability after a reset (its initial bias)
};

// Serves task() as sigmoid(logit) of the network's output for it and trains every output on
// mini-batches of matured examples: output r learns targets[r]'s label where the example has it
// (the rest are masked), each example with its sample weight. The network's embedding rows are
// the role's hashed feature buckets (one table shared by all columns). After every reset each
// output's bias starts at the logit of its target's prior, as a production model starts from the
// base rate.
// Not ready before its first update.
class NeuralModel final : public FeatureModel {
 public:
  // `served` is the output row of task(); `targets` one entry per network output.
  NeuralModel(std::unique_ptr<nn::Network<float>> network, int served,
              std::vector<OutputTarget> targets, std::uint64_t seed,
              const PredictorContext& context);

  std::uint8_t trained_tasks() const override { return trained_tasks_; }
  bool learns_unclicked_conversions() const override;
  bool does_learn(const Example& example) const override;
  bool ready() const override { return updates_ > 0; }

  const nn::Network<float>& network() const { return *network_; }

 private:
  void do_score(const FeatureBatch& batch, std::span<double> out) const override;
  void do_update(const FeatureBatch& batch, std::span<const Example> examples) override;
  void do_reset_weights() override;
  void start_at_prior();

  std::unique_ptr<nn::Network<float>> network_;
  int served_;
  std::vector<OutputTarget> targets_;
  std::uint64_t seed_;
  std::uint8_t trained_tasks_ = 0;
  std::uint64_t updates_ = 0;
  mutable nn::Matrix<float> logits_;
  nn::Targets<float> batch_targets_;
};

// Adds "fm", "dcn_v2", "mmoe" and "esmm" to the registry.
void register_neural_models(PredictorRegistry& registry);

}  // namespace marketsim
