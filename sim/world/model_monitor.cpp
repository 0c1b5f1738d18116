#include "sim/world/model_monitor.h"

#include <algorithm>
#include <cmath>

#include "models/sigmoid.h"
#include "sim/core/hash.h"

namespace marketsim {
namespace {

constexpr std::array<Field, kFieldCount - 1> kMonitored = {
    Field::kDevice,  Field::kRegion,     Field::kAgeBand,      Field::kReturning,
    Field::kPartner, Field::kVertical,   Field::kCartCategory, Field::kOffer,
    Field::kProduct, Field::kAdvertiser, Field::kCategory,     Field::kCreativeType,
    Field::kLayout,  Field::kMessage,    Field::kBidType,      Field::kSlot};

// The bin of a field value: small values as they are, larger ones by a hash.
std::size_t value_bin(std::uint32_t value) {
  if (value < kFieldBins) return value;
  return static_cast<std::size_t>(splitmix64(value) % kFieldBins);
}

}  // namespace

std::span<const Field> monitored_fields() { return kMonitored; }

std::size_t prediction_bin(double prediction) {
  // The inner bin edges as probabilities, so no logarithm is taken per prediction.
  static const std::array<double, kPredictionBins - 1> edges = [] {
    std::array<double, kPredictionBins - 1> e{};
    for (std::size_t k = 0; k < e.size(); ++k)
      e[k] = sigmoid(kPredictionLogitMin + (kPredictionLogitMax - kPredictionLogitMin) *
                                               static_cast<double>(k + 1) / kPredictionBins);
    return e;
  }();
  return static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), prediction) -
                                  edges.begin());
}

ModelMonitor::ModelMonitor(SimTime width, SimTime horizon)
    : window_(width), windows_(static_cast<std::size_t>((horizon + width - 1) / width)) {
  for (Model& m : models_) {
    m.serving_fields.assign(windows_ * kMonitored.size() * kFieldBins, 0.0);
    m.training_fields.assign(windows_ * kMonitored.size() * kFieldBins, 0.0);
    m.predictions.assign(windows_ * kPredictionBins, 0.0);
    m.matured.assign(windows_, {0.0, 0.0, 0.0});
  }
}

void ModelMonitor::add_fields(std::vector<double>& histograms, std::size_t w,
                              const RawFeatures& raw, double weight) {
  double* window = histograms.data() + w * kMonitored.size() * kFieldBins;
  for (std::size_t f = 0; f < kMonitored.size(); ++f)
    window[f * kFieldBins + value_bin(raw[static_cast<std::size_t>(kMonitored[f])])] += weight;
}

void ModelMonitor::serve(EvaluatedModel model, SimTime time, const RawFeatures& served,
                         double prediction) {
  Model& m = models_[static_cast<std::size_t>(model)];
  const std::size_t w = window_.of(time);
  add_fields(m.serving_fields, w, served, 1.0);
  m.predictions[w * kPredictionBins + prediction_bin(prediction)] += 1.0;
}

void ModelMonitor::train(EvaluatedModel model, SimTime time, const RawFeatures& logged,
                         double weight) {
  add_fields(models_[static_cast<std::size_t>(model)].training_fields, window_.of(time), logged,
             weight);
}

void ModelMonitor::mature(EvaluatedModel model, SimTime time, bool label,
                          double served_prediction) {
  auto& sums = models_[static_cast<std::size_t>(model)].matured[window_.of(time)];
  sums[0] += 1.0;
  sums[1] += label ? 1.0 : 0.0;
  sums[2] += served_prediction;
}

std::span<const double> ModelMonitor::serving_fields(EvaluatedModel model, std::size_t w) const {
  const std::size_t n = kMonitored.size() * kFieldBins;
  return {models_[static_cast<std::size_t>(model)].serving_fields.data() + w * n, n};
}

std::span<const double> ModelMonitor::training_fields(EvaluatedModel model, std::size_t w) const {
  const std::size_t n = kMonitored.size() * kFieldBins;
  return {models_[static_cast<std::size_t>(model)].training_fields.data() + w * n, n};
}

std::span<const double> ModelMonitor::serving_predictions(EvaluatedModel model,
                                                          std::size_t w) const {
  return {models_[static_cast<std::size_t>(model)].predictions.data() + w * kPredictionBins,
          kPredictionBins};
}

std::array<double, 3> ModelMonitor::matured(EvaluatedModel model, std::size_t w) const {
  return models_[static_cast<std::size_t>(model)].matured[w];
}

}  // namespace marketsim
