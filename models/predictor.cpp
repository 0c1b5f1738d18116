#include "models/predictor.h"

#include <boost/random/uniform_int_distribution.hpp>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "models/beta_ctr.h"
#include "models/ftrl.h"
#include "models/gbdt/gbdt_model.h"
#include "models/logistic_laplace.h"
#include "models/neural_model.h"
#include "models/oracle.h"

namespace marketsim {

namespace {

void require_probabilities(std::span<const double> out) {
  bool inside = true;  // one test at the end: the loop has no branch (NaN is outside)
  for (double p : out) inside &= (p >= 0.0) & (p <= 1.0);
  if (!inside) throw std::logic_error("Predictor: probability outside [0, 1]");
}

void require_same_size(std::size_t a, std::size_t b) {
  if (a != b) throw std::logic_error("Predictor: size mismatch");
}

}  // namespace

const char* task_name(Task task) {
  switch (task) {
    case Task::kClick:
      return "click";
    case Task::kConversion:
      return "conversion";
    case Task::kReturn:
      return "return";
  }
  return "?";
}

void Predictor::predict_at(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                           int slot, std::span<double> out) const {
  require_same_size(offers.size(), out.size());
  do_predict(request, offers, slot, out);
  require_probabilities(out);
}

void Predictor::predict_shown(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                              std::span<const int> slots, std::span<double> out) const {
  require_same_size(offers.size(), out.size());
  require_same_size(slots.size(), out.size());
  do_predict_shown(request, offers, slots, out);
  require_probabilities(out);
}

void Predictor::do_predict_shown(const RequestFeatures& request,
                                 std::span<const std::uint32_t> offers, std::span<const int> slots,
                                 std::span<double> out) const {
  for (std::size_t i = 0; i < offers.size(); ++i)
    do_predict(request, offers.subspan(i, 1), slots[i], out.subspan(i, 1));
}

bool Predictor::does_learn(const Example& example) const {
  return example.has(task_) && (task_ == Task::kClick || example.clicked);
}

void Predictor::train(std::span<const Example> batch) {
  for (const Example& e : batch)
    if (!wants(e)) throw std::logic_error("Predictor: trained on an example it does not learn");
  if (!batch.empty()) do_train(batch);
}

void Predictor::fit(std::span<const Example> window, const FitOptions& options, RngStream& rng) {
  if (options.epochs < 1 || options.batch_size < 1)
    throw std::logic_error("Predictor: fit needs epochs and batch_size >= 1");
  for (const Example& e : window)
    if (!wants(e)) throw std::logic_error("Predictor: fitted on an example it does not learn");
  do_fit(window, options, rng);
}

void Predictor::do_fit(std::span<const Example> window, const FitOptions& options, RngStream& rng) {
  if (!options.warm_start) do_reset();
  if (window.empty()) return;
  std::vector<std::size_t> order(window.size());
  const auto batch_size = static_cast<std::size_t>(options.batch_size);
  std::vector<Example> batch;
  batch.reserve(batch_size);
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = order.size() - 1; i > 0; --i) {  // Fisher-Yates
      boost::random::uniform_int_distribution<std::size_t> pick(0, i);
      std::swap(order[i], order[pick(rng)]);
    }
    for (std::size_t start = 0; start < order.size(); start += batch_size) {
      batch.clear();
      for (std::size_t i = start; i < std::min(order.size(), start + batch_size); ++i)
        batch.push_back(window[order[i]]);
      do_train(batch);
    }
  }
}

void Predictor::learn(const RequestFeatures& request, std::uint32_t offer, int slot, bool label) {
  Example e;
  e.request = request;
  e.offer = offer;
  e.slot = static_cast<std::uint8_t>(slot);
  e.clicked = task_ == Task::kClick ? label : true;
  if (task_ != Task::kClick) e.set(Task::kClick, true);
  e.set(task_, label);
  train({&e, 1});
}

void Predictor::sample(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                       RngStream& rng, std::span<double> out) const {
  require_same_size(offers.size(), out.size());
  do_sample(request, offers, rng, out);
  require_probabilities(out);
}

void Predictor::evidence(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                         std::span<double> out) const {
  require_same_size(offers.size(), out.size());
  do_evidence(request, offers, out);
}

void Predictor::do_sample(const RequestFeatures&, std::span<const std::uint32_t>, RngStream&,
                          std::span<double>) const {
  throw std::logic_error("Predictor: this model has no posterior to sample");
}

void Predictor::do_evidence(const RequestFeatures&, std::span<const std::uint32_t>,
                            std::span<double> out) const {
  std::fill(out.begin(), out.end(), 0.0);
}

const PredictorRegistry& predictor_registry() {
  static const PredictorRegistry registry = [] {
    PredictorRegistry r("model");
    register_beta_ctr(r);
    register_logistic_laplace(r);
    register_ftrl(r);
    register_neural_models(r);
    register_gbdt(r);
    register_oracle(r);
    return r;
  }();
  return registry;
}

}  // namespace marketsim
