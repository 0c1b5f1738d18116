// CtrPredictor: the interface of click-through-rate models and their registry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "models/request_features.h"
#include "sim/core/registry.h"
#include "sim/core/rng.h"

namespace marketsim {

// A model of P(click | request, offer) that learns online from logged impressions. The public
// methods check the contract (equal lengths, probabilities in [0, 1]) around private hooks that
// implementations override.
class CtrPredictor {
 public:
  virtual ~CtrPredictor() = default;

  // Writes the predicted click probability of each of `offers` to `out` (same length).
  void predict(const RequestFeatures& request, std::span<const std::uint32_t> offers,
               std::span<double> out) const;

  // Learns from one impression: `offer` was shown in `slot` (0 = top) and was or was not clicked.
  void learn(const RequestFeatures& request, std::uint32_t offer, int slot, bool clicked) {
    do_learn(request, offer, slot, clicked);
  }

  // True when the model keeps a posterior that sample() can draw from (Thompson sampling).
  virtual bool has_posterior() const { return false; }

  // Writes one joint posterior draw of the click probabilities of `offers`. Throws
  // std::logic_error when !has_posterior().
  void sample(const RequestFeatures& request, std::span<const std::uint32_t> offers, RngStream& rng,
              std::span<double> out) const;

  // Writes how many impressions stand behind each offer's prediction (the n of confidence
  // bounds such as UCB1).
  void evidence(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                std::span<double> out) const;

 private:
  virtual void do_predict(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                          std::span<double> out) const = 0;
  virtual void do_learn(const RequestFeatures& request, std::uint32_t offer, int slot,
                        bool clicked) = 0;
  virtual void do_sample(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                         RngStream& rng, std::span<double> out) const;
  virtual void do_evidence(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                           std::span<double> out) const = 0;
};

// CTR models by name. Context: the number of offers in the catalog.
using CtrPredictorRegistry = Registry<CtrPredictor, std::size_t>;

// The built-in CTR models, registered once.
const CtrPredictorRegistry& ctr_predictor_registry();

}  // namespace marketsim
