// ModelStage: one model role of the recommender, from matured labels to served probabilities.
#pragma once

#include <deque>
#include <memory>
#include <vector>

#include "models/calibration/calibrator.h"
#include "models/predictor.h"
#include "models/training/permutation_importance.h"
#include "models/training/stage_spec.h"
#include "sim/core/sim_time.h"

namespace marketsim {

// What a stage did over a replication.
struct StageCounts {
  double examples = 0;      // matured examples the model wanted
  double trained = 0;       // of those, kept by downsampling (online: learned; batch: windowed)
  double retrains = 0;      // scheduled batch retrains
  double calibrations = 0;  // calibrator refits that changed the map
};

// The click, conversion or user-value model of the recommender with everything around it:
//   training   matured examples (add()) are negatively downsampled (keep the negatives of the
//              stage's task, e.g. the unconverted clicks of a conversion stage, with probability w,
//              by a coin keyed per impression: what the correction undoes) and learned online in
//              mini-batches, or kept in a sliding window that scheduled retrains fit (warm start
//              or from scratch), all inside the replication's own thread;
//   serving    p -> downsampling correction q = p / (p + (1 - p) / w) (when configured) ->
//              injected miscalibration logit / T + ln m -> the calibrator, refitted every
//              refit_every_h on the (raw prediction, label) pairs of the task matured in its
//              window -> served. Before the model is ready it serves the cold-start rate.
// It is a Predictor itself, so rankers and explorers use it like any model (Thompson samples go
// through the same chain). train() on the stage trains its model directly, bypassing the
// schedule. Deterministic: no wall clock, no shared state.
class ModelStage final : public Predictor {
 public:
  // `importance_every`: permutation importance on one matured example in this many (0: none;
  // only for models on the feature pipeline).
  ModelStage(std::unique_ptr<Predictor> model, const ModelStageSpec& spec, ReplicationKey key,
             std::uint32_t stream, std::int64_t importance_every = 0);

  // The model's probability of task() for offers[i] shown in slots[i], before the calibrator
  // (`raw`) and as served (`served`): what a request's shown offers were predicted to do.
  void evaluate(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                std::span<const int> slots, std::span<double> raw, std::span<double> served) const;

  // True when evaluate() of an offer shown in `slot` gives, raw and served alike, what predict()
  // gave the same offer for the same request with the model unchanged since: the model ignores
  // the slot or `slot` is its reference slot, and no downsampling correction, distortion or
  // calibrator stands between the model and what is served. A caller may then take the shown
  // offers' predictions from its ranking pass instead of predicting them again.
  bool evaluates_as_predicted(int slot) const {
    return raw_is_model_ && !calibrated_ &&
           (!model_->uses_slot() || slot == model_->reference_slot());
  }

  // A matured example; `raw` is the stage's raw prediction for its impression (at its slot, when
  // it was served), which the calibrator fits against the label. Examples the model does not
  // want are ignored. Returns whether the model learns it (wanted and kept by downsampling).
  // Call in time order.
  bool add(SimTime now, const Example& example, double raw);

  // 1 / the probability that downsampling keeps `example` (1 / w for a negative of the task,
  // else 1): the weight that makes the kept examples stand for all of them.
  double inclusion_weight(const Example& example) const;

  // Runs what is due by `now`: scheduled retrains and calibrator refits.
  void advance(SimTime now);

  const Predictor& model() const { return *model_; }
  const ModelStageSpec& spec() const { return spec_; }
  const StageCounts& counts() const { return counts_; }
  // The permutation importance of the model's columns, or nullptr when not measured.
  const PermutationImportance* importance() const { return importance_.get(); }

  // When the model was refit by scheduled batch retrains, in order.
  const std::vector<SimTime>& retrain_times() const { return retrain_times_; }

  std::uint8_t trained_tasks() const override { return model_->trained_tasks(); }
  bool ready() const override { return true; }
  bool uses_slot() const override { return model_->uses_slot(); }
  bool trains_online() const override { return model_->trains_online(); }
  bool has_posterior() const override { return model_->has_posterior(); }
  bool learns_unclicked_conversions() const override {
    return model_->learns_unclicked_conversions();
  }
  bool learns() const override { return model_->learns(); }
  const FeatureModel* feature_model() const override { return model_->feature_model(); }

 private:
  struct Timed {
    SimTime time;
    Example example;
  };
  struct Pair {
    SimTime time;
    double raw;
    bool label;
  };

  // The chain from a model probability to the raw (pre-calibration) probability.
  double to_raw(double p) const;
  // Applies the chain and the calibrator to model probabilities, in place.
  void to_served(std::span<double> probabilities) const;
  // True when `example` is a negative of task(), the examples downsampling drops.
  bool negative(const Example& example) const;
  bool keep(const Example& example) const;
  void retrain(SimTime now);
  void recalibrate(SimTime now);

  void do_predict(const RequestFeatures& request, std::span<const std::uint32_t> offers, int slot,
                  std::span<double> out) const override;
  void do_train(std::span<const Example> batch) override { model_->train(batch); }
  void do_reset() override { model_->reset(); }
  void do_sample(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                 RngStream& rng, std::span<double> out) const override;
  void do_evidence(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                   std::span<double> out) const override {
    model_->evidence(request, offers, out);
  }

  std::unique_ptr<Predictor> model_;
  ModelStageSpec spec_;
  ReplicationKey key_;
  std::uint32_t stream_;
  std::unique_ptr<Calibrator> calibrator_;
  std::unique_ptr<PermutationImportance> importance_;
  CounterRng coins_;
  double log_odds_shift_;
  bool calibrated_;             // a calibrator other than "none"
  bool raw_is_model_;           // neither a downsampling correction nor an injected distortion
  std::vector<Example> batch_;  // online: the mini-batch being filled
  std::deque<Timed> window_;    // batch: matured examples awaiting the next retrain
  std::deque<Pair> pairs_;      // calibration window
  SimTime next_retrain_;
  SimTime next_calibration_;
  std::vector<SimTime> retrain_times_;
  StageCounts counts_;
  std::vector<Example> fit_buffer_;
  std::vector<double> fit_raw_;
  std::vector<std::uint8_t> fit_labels_;
};

}  // namespace marketsim
