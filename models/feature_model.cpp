#include "models/feature_model.h"

#include <algorithm>
#include <stdexcept>

namespace marketsim {

FeatureModel::FeatureModel(const PredictorContext& context)
    : Predictor(context.task, context.features.reference_slot),
      spec_(context.features),
      hasher_(context.features),
      offers_(context.offers),
      examples_per_offer_(context.offers.size(), 0.0) {}

void FeatureModel::encode(std::span<const Example> examples, FeatureBatch& batch) const {
  batch.resize(hasher_.width(), static_cast<Eigen::Index>(examples.size()));
  RawFeatures raw{};
  for (std::size_t j = 0; j < examples.size(); ++j) {
    const Example& e = examples[j];
    set_request_fields(e.request, raw);
    set_offer_fields(e.offer, offers_[e.offer], raw);
    raw[static_cast<std::size_t>(Field::kSlot)] = e.slot;
    hasher_.encode(raw, batch, static_cast<Eigen::Index>(j));
  }
}

void FeatureModel::score(const FeatureBatch& batch, std::span<double> out) const {
  if (static_cast<std::size_t>(batch.size()) != out.size())
    throw std::logic_error("FeatureModel: size mismatch");
  do_score(batch, out);
}

void FeatureModel::do_predict(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                              int slot, std::span<double> out) const {
  serving_.resize(hasher_.width(), static_cast<Eigen::Index>(offers.size()));
  RawFeatures raw{};
  set_request_fields(request, raw);
  raw[static_cast<std::size_t>(Field::kSlot)] = static_cast<std::uint32_t>(slot);
  for (std::size_t j = 0; j < offers.size(); ++j) {
    set_offer_fields(offers[j], offers_[offers[j]], raw);
    if (j == 0) {
      hasher_.encode(raw, serving_, 0);
    } else {
      hasher_.encode_offer(raw, serving_, static_cast<Eigen::Index>(j), 0);
    }
  }
  do_score(serving_, out);
}

void FeatureModel::do_predict_shown(const RequestFeatures& request,
                                    std::span<const std::uint32_t> offers,
                                    std::span<const int> slots, std::span<double> out) const {
  shown_.resize(hasher_.width(), static_cast<Eigen::Index>(offers.size()));
  RawFeatures raw{};
  set_request_fields(request, raw);
  for (std::size_t j = 0; j < offers.size(); ++j) {
    set_offer_fields(offers[j], offers_[offers[j]], raw);
    raw[static_cast<std::size_t>(Field::kSlot)] = static_cast<std::uint32_t>(slots[j]);
    hasher_.encode(raw, shown_, static_cast<Eigen::Index>(j));
  }
  do_score(shown_, out);
}

void FeatureModel::do_train(std::span<const Example> batch) {
  encode(batch, training_);
  do_update(training_, batch);
  note_learned(batch);
}

void FeatureModel::note_learned(std::span<const Example> examples) {
  for (const Example& e : examples) examples_per_offer_[e.offer] += 1.0;
}

void FeatureModel::do_reset() {
  do_reset_weights();
  std::fill(examples_per_offer_.begin(), examples_per_offer_.end(), 0.0);
}

void FeatureModel::do_evidence(const RequestFeatures&, std::span<const std::uint32_t> offers,
                               std::span<double> out) const {
  for (std::size_t i = 0; i < offers.size(); ++i) out[i] = examples_per_offer_[offers[i]];
}

}  // namespace marketsim
