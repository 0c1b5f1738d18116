// TruthView: the one window through which a model may see the simulator's hidden truth.
#pragma once

#include <cstdint>
#include <span>

#include "models/request_features.h"

namespace marketsim {

// The true probabilities behind a request, as the simulator knows them. The simulator's own
// oracle bookkeeping reads the truth through this interface, and the `oracle` model (an upper
// bound, never a deployable policy) is the only model given one; every other model learns from
// logged labels alone.
class TruthView {
 public:
  virtual ~TruthView() = default;

  // True P(click) of each of `offers` for the request, before position bias (out: same length).
  virtual void click_probabilities(const RequestFeatures& request,
                                   std::span<const std::uint32_t> offers,
                                   std::span<double> out) const = 0;
  // True P(conversion | click) of each of `offers` (out: same length).
  virtual void conversion_probabilities(std::span<const std::uint32_t> offers,
                                        std::span<double> out) const = 0;
  // The probability that a user examines `slot` (0 = top): P(click in slot) = this x P(click).
  virtual double position_bias(int slot) const = 0;
};

}  // namespace marketsim
