// CtrPredictor: the interface of click-through-rate models and their registry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "models/request_features.h"
#include "sim/core/registry.h"

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

 private:
  virtual void do_predict(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                          std::span<double> out) const = 0;
  virtual void do_learn(const RequestFeatures& request, std::uint32_t offer, int slot,
                        bool clicked) = 0;
};

// CTR models by name. Context: the number of offers in the catalog.
using CtrPredictorRegistry = Registry<CtrPredictor, std::size_t>;

// The built-in CTR models, registered once.
const CtrPredictorRegistry& ctr_predictor_registry();

}  // namespace marketsim
