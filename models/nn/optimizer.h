// Optimizer: SGD, Adagrad and Adam steps over dense parameters and lazily over embedding rows.
#pragma once

#include <cstdint>

#include "models/nn/embedding_table.h"
#include "models/nn/parameter.h"

namespace marketsim::nn {

enum class OptimizerKind { kSgd, kAdagrad, kAdam };

// The tensors of state the optimizer keeps per parameter tensor: Adagrad one, Adam two, SGD none.
int optimizer_moments(OptimizerKind kind);

// Hyper-parameters of every optimizer kind (each kind reads the ones it uses).
//   learning_rate  > 0, the step size lr.
//   l2             >= 0, weight decay added to the gradient: g = dL/dw + l2 w.
//   beta1, beta2   in [0, 1), Adam's moment decay rates.
//   epsilon        > 0, added to the denominator of Adagrad and Adam.
struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::kAdam;
  double learning_rate = 1e-3;
  double l2 = 0;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
};

// Applies one update per step() to the parameters of a network, from their current gradients.
// With g = gradient + l2 value, per entry w:
//   kSgd      w -= lr g
//   kAdagrad  G += g^2;  w -= lr g / (sqrt(G) + epsilon)               (G starts at 0)
//   kAdam     m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2;
//             w -= lr (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
// with t the number of step() calls since reset() (Kingma & Ba 2015, Algorithm 1).
// Dense parameters are updated in full. Embedding tables are updated lazily: only the buckets
// touched by the batch (their values, l2 and state); the moments of untouched buckets stay as
// they are, and Adam's bias correction uses the global step t. Arithmetic in T. Not thread-safe.
template <class T>
class Optimizer {
 public:
  // Throws std::invalid_argument when a hyper-parameter is out of range.
  explicit Optimizer(const OptimizerConfig& config);

  const OptimizerConfig& config() const { return config_; }
  // Steps taken since reset().
  std::int64_t steps() const { return steps_; }

  // Sizes and zeroes the state of `parameters` for this kind; the step count returns to 0.
  void reset(const ParameterSet<T>& parameters);

  // One update of every parameter in `parameters` (which reset() has prepared).
  void step(const ParameterSet<T>& parameters);

 private:
  OptimizerConfig config_;
  std::int64_t steps_ = 0;
};

extern template class Optimizer<float>;
extern template class Optimizer<double>;

}  // namespace marketsim::nn
