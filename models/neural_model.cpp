#include "models/neural_model.h"

#include <algorithm>

#include "models/sigmoid.h"

namespace marketsim {
namespace {

// Whether example `e` carries the label that output target `t` learns.
bool present(const OutputTarget& t, const Example& e) {
  return t.trained && e.has(t.task) && (!t.given_click || e.clicked);
}

}  // namespace

NeuralModel::NeuralModel(std::unique_ptr<nn::Network<float>> network, int served,
                         std::vector<OutputTarget> targets, std::uint64_t seed,
                         const PredictorContext& context)
    : FeatureModel(context),
      network_(std::move(network)),
      served_(served),
      targets_(std::move(targets)),
      seed_(seed) {
  for (const OutputTarget& t : targets_)
    if (t.trained) trained_tasks_ |= task_bit(t.task);
  start_at_prior();
}

bool NeuralModel::does_learn(const Example& e) const {
  return std::any_of(targets_.begin(), targets_.end(),
                     [&](const OutputTarget& t) { return present(t, e); });
}

bool NeuralModel::learns_unclicked_conversions() const {
  return std::any_of(targets_.begin(), targets_.end(), [](const OutputTarget& t) {
    return t.trained && t.task == Task::kConversion && !t.given_click;
  });
}

void NeuralModel::start_at_prior() {
  for (int r = 0; r < network_->outputs(); ++r)
    network_->output_bias(r) =
        static_cast<float>(logit(targets_[static_cast<std::size_t>(r)].prior));
}

void NeuralModel::do_score(const FeatureBatch& batch, std::span<double> out) const {
  network_->predict_logits(batch.buckets, logits_);
  for (Eigen::Index j = 0; j < batch.size(); ++j)
    out[static_cast<std::size_t>(j)] = sigmoid(logits_(served_, j));
}

void NeuralModel::do_update(const FeatureBatch& batch, std::span<const Example> examples) {
  const auto n = static_cast<Eigen::Index>(examples.size());
  const auto outputs = static_cast<Eigen::Index>(targets_.size());
  batch_targets_.label.resize(outputs, n);
  batch_targets_.mask.resize(outputs, n);
  batch_targets_.weight.resize(n);
  for (Eigen::Index j = 0; j < n; ++j) {
    const Example& e = examples[static_cast<std::size_t>(j)];
    batch_targets_.weight(j) = e.weight;
    for (Eigen::Index r = 0; r < outputs; ++r) {
      const OutputTarget& t = targets_[static_cast<std::size_t>(r)];
      const bool has = present(t, e);
      batch_targets_.mask(r, j) = has ? 1.0f : 0.0f;
      batch_targets_.label(r, j) = has && e.label(t.task) ? 1.0f : 0.0f;
    }
  }
  network_->train_step(batch.buckets, batch_targets_);
  ++updates_;
}

void NeuralModel::do_reset_weights() {
  network_->reset(seed_);
  start_at_prior();
  updates_ = 0;
}

}  // namespace marketsim
