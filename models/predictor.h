// Predictor: the interface of click, conversion and user-value models, and their registry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "models/example.h"
#include "models/features/feature_spec.h"
#include "models/offer_features.h"
#include "models/request_features.h"
#include "sim/core/registry.h"
#include "sim/core/rng.h"

namespace marketsim {

class FeatureModel;
class TruthView;

// Everything a model is built for besides its own parameters.
struct PredictorContext {
  Task task = Task::kClick;               // what predict() returns
  std::span<const OfferFeatures> offers;  // the catalog's observable attributes; outlives the model
  FeatureSpec features;                   // the feature pipeline (used by models built on it)
  ReplicationKey key;                     // keys the streams of initial weights
  std::uint32_t stream = 0;               // entity of those streams (one per model instance)
  const TruthView* truth = nullptr;       // the simulator's truth: for the `oracle` model only
};

// How a scheduled batch retrain fits a window of examples.
struct FitOptions {
  bool warm_start = true;  // continue from the current weights, or start from scratch
  int epochs = 1;          // passes over the window
  int batch_size = 256;    // mini-batch size of each step
};

// A model of the probability of its task (a click, a conversion given a click, a return visit
// given a click) for an offer in a request, learning from logged impressions only: it never sees
// the ground truth. The public methods check the contract (equal lengths, probabilities in
// [0, 1], only wanted examples) around private hooks that implementations override.
// Not safe to call concurrently on one object (models may reuse scratch buffers).
class Predictor {
 public:
  Predictor(Task task, int reference_slot) : task_(task), reference_slot_(reference_slot) {}
  virtual ~Predictor() = default;

  Task task() const { return task_; }
  int reference_slot() const { return reference_slot_; }

  // Serving: writes the predicted probability of task() of each of `offers` to `out` (same
  // length), scored as if shown in the reference slot.
  void predict(const RequestFeatures& request, std::span<const std::uint32_t> offers,
               std::span<double> out) const {
    predict_at(request, offers, reference_slot_, out);
  }

  // The same as if each offer were shown in `slot` (0 = top): evaluates what was shown.
  void predict_at(const RequestFeatures& request, std::span<const std::uint32_t> offers, int slot,
                  std::span<double> out) const;

  // The same for offers[i] shown in slots[i] (all of one request's shown offers at once).
  void predict_shown(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                     std::span<const int> slots, std::span<double> out) const;

  // One incremental update on a mini-batch (online learning). Every example must be wanted().
  void train(std::span<const Example> batch);

  // Refits on a window of examples (a scheduled batch retrain): from scratch unless
  // options.warm_start. `rng` orders the mini-batches. The default makes `epochs` passes of
  // train() over shuffled mini-batches; tree models refit as a whole.
  void fit(std::span<const Example> window, const FitOptions& options, RngStream& rng);

  // Forgets everything learned (back to the initial weights).
  void reset() { do_reset(); }

  // Learns that `offer`, shown in `slot` for `request`, had label `label` of task(): a one-example
  // train() (a click for kClick; a clicked impression that did or did not convert or return for
  // the conditional tasks).
  void learn(const RequestFeatures& request, std::uint32_t offer, int slot, bool label);

  // The tasks whose labels the model learns (its own task; several for multi-task models).
  virtual std::uint8_t trained_tasks() const { return task_bit(task_); }

  // True when the model learns the conversion label of impressions that were not clicked (it is
  // 0 there: entire-space models such as ESMM); such labels then mature with the clicked ones'.
  virtual bool learns_unclicked_conversions() const { return false; }

  // False for a model that learns no label at all (the oracle): none needs to reach it.
  virtual bool learns() const { return true; }

  // True when `example` carries a label the model learns: for a single-task model its task's
  // label (on clicked impressions only for the conditional tasks); for a multi-task model a
  // label one of its outputs learns (examples whose labels it would all mask are not wanted).
  bool wants(const Example& example) const { return does_learn(example); }

  // False until the model has learned enough to serve (a stage serves its cold-start rate).
  virtual bool ready() const { return true; }

  // True when predictions depend on the slot (the slot is one of the model's features).
  virtual bool uses_slot() const { return false; }

  // False for models that can only be refit in batches (trees): they need a batch schedule.
  virtual bool trains_online() const { return true; }

  // True when the model keeps a posterior that sample() can draw from (Thompson sampling).
  virtual bool has_posterior() const { return false; }

  // Writes one joint posterior draw of the probabilities of `offers` (reference slot). Throws
  // std::logic_error when !has_posterior().
  void sample(const RequestFeatures& request, std::span<const std::uint32_t> offers, RngStream& rng,
              std::span<double> out) const;

  // Writes how many impressions stand behind each offer's prediction (the n of confidence
  // bounds such as UCB1).
  void evidence(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                std::span<double> out) const;

  // The model as a feature-pipeline model (encoded batches, importance), or nullptr.
  virtual const FeatureModel* feature_model() const { return nullptr; }

 private:
  // A stage that serves its model's predictions untransformed calls do_predict and checks them in
  // its own predict_at: once, not twice per request.
  friend class ModelStage;

  virtual void do_predict(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                          int slot, std::span<double> out) const = 0;
  // wants(); the default serves single-task models.
  virtual bool does_learn(const Example& example) const;
  virtual void do_predict_shown(const RequestFeatures& request,
                                std::span<const std::uint32_t> offers, std::span<const int> slots,
                                std::span<double> out) const;
  virtual void do_train(std::span<const Example> batch) = 0;
  virtual void do_fit(std::span<const Example> window, const FitOptions& options, RngStream& rng);
  virtual void do_reset() = 0;
  virtual void do_sample(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                         RngStream& rng, std::span<double> out) const;
  virtual void do_evidence(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                           std::span<double> out) const;

  Task task_;
  int reference_slot_;
};

// Models by name, shared by every model role (ranker, conversion_model, user_value_model) and by
// the candidate stage's cheap model.
using PredictorRegistry = Registry<Predictor, const PredictorContext&>;

// The built-in models, registered once.
const PredictorRegistry& predictor_registry();

}  // namespace marketsim
