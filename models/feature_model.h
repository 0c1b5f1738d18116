// FeatureModel: the base of models built on the feature pipeline (hashed fields and crosses).
#pragma once

#include <string>
#include <vector>

#include "models/features/feature_hasher.h"
#include "models/predictor.h"

namespace marketsim {

// A per-column importance of a model, e.g. a tree model's total split gain.
struct ColumnImportance {
  std::string kind;            // "gain", "splits", ...
  std::vector<double> values;  // one per feature column, in the spec's column order
};

// A model whose inputs are the columns of its FeatureSpec: it encodes serving requests and
// training examples into FeatureBatch columns (request fields once per request, then each
// candidate's offer fields, the slot) and leaves scoring and updating to the subclass. The slot
// is a feature only when the spec lists it. Encoded batches are also what permutation importance
// perturbs, one column at a time. evidence() counts the examples learned per offer.
class FeatureModel : public Predictor {
 public:
  explicit FeatureModel(const PredictorContext& context);

  const FeatureSpec& features() const { return spec_; }
  const FeatureHasher& hasher() const { return hasher_; }

  // Encodes each example's logged request, offer and slot as column j of `batch`.
  void encode(std::span<const Example> examples, FeatureBatch& batch) const;

  // Writes the probability of task() for every column of `batch`.
  void score(const FeatureBatch& batch, std::span<double> out) const;

  // Importance measures the model keeps itself (trees: gain and split counts); empty for most.
  virtual std::vector<ColumnImportance> intrinsic_importance() const { return {}; }

  bool uses_slot() const override { return spec_.uses_slot(); }
  const FeatureModel* feature_model() const override { return this; }

 protected:
  // Counts `examples` as learned (evidence()) for models that learn outside do_update.
  void note_learned(std::span<const Example> examples);

 private:
  // Probabilities of task() for the encoded batch (out.size() == batch.size()).
  virtual void do_score(const FeatureBatch& batch, std::span<double> out) const = 0;
  // One update from the encoded `batch` of `examples` (column j encodes examples[j]).
  virtual void do_update(const FeatureBatch& batch, std::span<const Example> examples) = 0;
  // Back to the initial weights.
  virtual void do_reset_weights() = 0;

  void do_predict(const RequestFeatures& request, std::span<const std::uint32_t> offers, int slot,
                  std::span<double> out) const override;
  void do_predict_shown(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                        std::span<const int> slots, std::span<double> out) const override;
  void do_train(std::span<const Example> batch) override;
  void do_reset() override;
  void do_evidence(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                   std::span<double> out) const override;

  FeatureSpec spec_;
  FeatureHasher hasher_;
  std::span<const OfferFeatures> offers_;
  mutable FeatureBatch serving_;  // reused by predict (the candidates of a request)
  mutable FeatureBatch shown_;    // reused by predict_shown (its shown offers)
  FeatureBatch training_;         // reused by train
  std::vector<double> examples_per_offer_;
};

}  // namespace marketsim
