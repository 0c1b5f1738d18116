#include "models/training/model_stage.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "models/sigmoid.h"

namespace marketsim {
namespace {

constexpr int kFitStreamShift = 40;  // disjoint streams for windows up to 2^40 blocks

}  // namespace

ModelStage::ModelStage(std::unique_ptr<Predictor> model, const ModelStageSpec& spec,
                       ReplicationKey key, std::uint32_t stream, std::int64_t importance_every)
    : Predictor(model->task(), model->reference_slot()),
      model_(std::move(model)),
      spec_(spec),
      key_(key),
      stream_(stream),
      calibrator_(calibrator_registry().create(spec.calibration.method, ParamValues{})),
      coins_(key, "training.downsample"),
      log_odds_shift_(std::log(spec.miscalibration.odds_multiplier)),
      calibrated_(spec.calibration.method != "none"),
      raw_is_model_(!(spec.training.correction == TrainingSpec::Correction::kRecalibrate &&
                      spec.training.negative_rate < 1) &&
                    spec.miscalibration.temperature == 1 && log_odds_shift_ == 0),
      next_retrain_(hours_to_time(spec.training.warm_up_h + spec.training.retrain_every_h)),
      next_calibration_(hours_to_time(spec.calibration.refit_every_h)) {
  if (!model_->trains_online() && spec.training.schedule == TrainingSpec::Schedule::kOnline)
    throw std::invalid_argument("this model learns in batches only (training.schedule = batch)");
  batch_.reserve(static_cast<std::size_t>(spec.training.batch_size));
  if (importance_every > 0 && model_->feature_model() != nullptr)
    importance_ = std::make_unique<PermutationImportance>(*model_->feature_model(),
                                                          importance_every, key, stream);
}

double ModelStage::to_raw(double p) const {
  const TrainingSpec& t = spec_.training;
  if (t.correction == TrainingSpec::Correction::kRecalibrate && t.negative_rate < 1)
    p = p / (p + (1 - p) / t.negative_rate);
  const double temperature = spec_.miscalibration.temperature;
  if (temperature != 1 || log_odds_shift_ != 0)
    p = sigmoid(logit(p) / temperature + log_odds_shift_);
  return p;
}

void ModelStage::evaluate(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                          std::span<const int> slots, std::span<double> raw,
                          std::span<double> served) const {
  if (raw.size() != offers.size() || served.size() != offers.size())
    throw std::logic_error("ModelStage: size mismatch");
  if (!model_->ready()) {
    std::fill(raw.begin(), raw.end(), spec_.training.cold_start_rate);
    std::fill(served.begin(), served.end(), spec_.training.cold_start_rate);
    return;
  }
  model_->predict_shown(request, offers, slots, raw);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (!raw_is_model_) raw[i] = to_raw(raw[i]);
    served[i] = calibrated_ ? calibrator_->apply(raw[i]) : raw[i];
  }
}

void ModelStage::do_predict(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                            int slot, std::span<double> out) const {
  if (!model_->ready()) {
    std::fill(out.begin(), out.end(), spec_.training.cold_start_rate);
    return;
  }
  if (raw_is_model_ && !calibrated_) {
    // Served as the model predicts: this stage's predict_at checks the values, once.
    model_->do_predict(request, offers, slot, out);
    return;
  }
  // Checked before the transforms, which could hide a value outside [0, 1] (or choke on a NaN).
  model_->predict_at(request, offers, slot, out);
  to_served(out);
}

void ModelStage::to_served(std::span<double> probabilities) const {
  if (raw_is_model_ && !calibrated_) return;
  for (double& p : probabilities) {
    if (!raw_is_model_) p = to_raw(p);
    if (calibrated_) p = calibrator_->apply(p);
  }
}

void ModelStage::do_sample(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                           RngStream& rng, std::span<double> out) const {
  model_->sample(request, offers, rng, out);
  to_served(out);
}

bool ModelStage::negative(const Example& e) const { return e.has(task()) && !e.label(task()); }

double ModelStage::inclusion_weight(const Example& e) const {
  const double w = spec_.training.negative_rate;
  return w < 1 && negative(e) ? 1 / w : 1;
}

bool ModelStage::keep(const Example& e) const {
  const double w = spec_.training.negative_rate;
  if (w >= 1 || !negative(e)) return true;
  const std::uint32_t entity = ((stream_ & 0xFFFFu) << 16) | (std::uint32_t{e.known} << 8) | e.slot;
  return to_unit_open(coins_.block(entity, e.transaction)[0]) < w;
}

bool ModelStage::add(SimTime now, const Example& example, double raw) {
  if (!model_->wants(example)) return false;
  counts_.examples += 1;
  if (importance_) importance_->observe(example);
  const Task t = task();
  if (calibrated_ && example.has(t) && (t == Task::kClick || example.clicked))
    pairs_.push_back(Pair{now, raw, example.label(t)});
  if (!keep(example)) return false;
  Example kept = example;
  const TrainingSpec& training = spec_.training;
  if (training.correction == TrainingSpec::Correction::kWeight && training.negative_rate < 1 &&
      negative(kept))
    kept.weight = static_cast<float>(kept.weight / training.negative_rate);
  counts_.trained += 1;
  const bool online = training.schedule == TrainingSpec::Schedule::kOnline ||
                      (now < hours_to_time(training.warm_up_h) && model_->trains_online());
  if (training.schedule == TrainingSpec::Schedule::kBatch) {
    window_.push_back(Timed{now, kept});
    if (static_cast<std::int64_t>(window_.size()) > training.max_window_examples)
      window_.pop_front();
  }
  if (online) {
    batch_.push_back(kept);
    if (static_cast<std::int64_t>(batch_.size()) >= training.batch_size) {
      model_->train(batch_);
      batch_.clear();
    }
  }
  return true;
}

void ModelStage::advance(SimTime now) {
  if (spec_.training.schedule == TrainingSpec::Schedule::kBatch && now >= next_retrain_) {
    retrain(now);
    const SimTime interval = std::max<SimTime>(1, hours_to_time(spec_.training.retrain_every_h));
    while (next_retrain_ <= now) next_retrain_ += interval;
  }
  if (calibrated_ && now >= next_calibration_) {
    recalibrate(now);
    const SimTime interval = std::max<SimTime>(1, hours_to_time(spec_.calibration.refit_every_h));
    while (next_calibration_ <= now) next_calibration_ += interval;
  }
}

void ModelStage::retrain(SimTime now) {
  const SimTime start = now - hours_to_time(spec_.training.window_h);
  while (!window_.empty() && window_.front().time < start) window_.pop_front();
  counts_.retrains += 1;
  retrain_times_.push_back(now);
  if (window_.empty()) {
    if (!spec_.training.warm_start) model_->reset();  // from scratch on nothing: untrained
    return;
  }
  fit_buffer_.clear();
  for (const Timed& t : window_) fit_buffer_.push_back(t.example);
  const TrainingSpec& training = spec_.training;
  RngStream rng(key_, "training.fit", stream_,
                static_cast<std::uint64_t>(counts_.retrains) << kFitStreamShift);
  model_->fit(fit_buffer_,
              FitOptions{training.warm_start, static_cast<int>(training.epochs),
                         static_cast<int>(training.batch_size)},
              rng);
}

void ModelStage::recalibrate(SimTime now) {
  const SimTime start = now - hours_to_time(spec_.calibration.window_h);
  while (!pairs_.empty() && pairs_.front().time < start) pairs_.pop_front();
  if (static_cast<std::int64_t>(pairs_.size()) < spec_.calibration.min_examples) return;
  fit_raw_.clear();
  fit_labels_.clear();
  for (const Pair& p : pairs_) {
    fit_raw_.push_back(p.raw);
    fit_labels_.push_back(p.label ? 1 : 0);
  }
  if (calibrator_->fit(fit_raw_, fit_labels_)) counts_.calibrations += 1;
}

}  // namespace marketsim
