// Network: the common interface of the recommender networks (hashed fields in, task logits out),
// with input checks, training steps and initialisation shared by every implementation.
#pragma once

#include <cstddef>
#include <cstdint>

#include "models/nn/embedding_table.h"
#include "models/nn/optimizer.h"
#include "models/nn/parameter.h"
#include "models/nn/tensor.h"

namespace marketsim::nn {

// A network maps a batch of hashed inputs x (fields() x B, every entry < buckets()) to logits
// (outputs() x B, one row per task) and learns from Targets with the same number of tasks. The
// public methods check shapes and bucket ranges (std::invalid_argument) around private hooks.
//
// Memory: activations live in buffers that only grow, so once a batch size has been seen, calls
// with batches no larger do not allocate (Eigen may allocate GEMM blocking space for products
// too large for its stack buffer, i.e. large batches). Thread safety: none; one object is used
// by one thread at a time (even predict_logits writes the scratch buffers). Distinct objects are
// independent. Objects are neither copyable nor movable (the parameter list points into them).
template <class T>
class Network {
 public:
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;
  virtual ~Network() = default;

  int fields() const { return fields_; }
  std::size_t buckets() const { return buckets_; }
  // Task logits per example.
  int outputs() const { return static_cast<int>(task_weights_.size()); }
  // Weight of each task's term in the loss (outputs() entries).
  const Vector<T>& task_weights() const { return task_weights_; }

  // Serving forward pass: writes the logits of x into `logits` (resized to outputs() x B, which
  // allocates only when its size changes). Does not touch gradients or optimizer state.
  void predict_logits(const IndexMatrix& x, Matrix<T>& logits);

  // Forward and backward pass without an update: sets every parameter's gradient (embedding
  // tables: only the touched buckets) and returns the batch loss (see weighted_bce_with_logits
  // for its normalisation; ESMM documents its own). B >= 1.
  T loss_and_gradients(const IndexMatrix& x, const Targets<T>& y);

  // loss_and_gradients() then one optimizer step; returns the loss before the step.
  T train_step(const IndexMatrix& x, const Targets<T>& y);

  // Re-initialises every parameter from streams keyed by (seed, parameter name) and clears the
  // optimizer state (training from scratch). The same seed gives bit-identical parameters.
  void reset(std::uint64_t seed);

  // Every parameter, for optimizers and tests (finite differences perturb values in place).
  const ParameterSet<T>& parameters() const { return parameters_; }
  const Optimizer<T>& optimizer() const { return optimizer_; }
  // Bytes of the parameters as built: every dense parameter's value, gradient and optimizer
  // moments, every embedding table's values and moments and its per-bucket gradient index (what
  // StateSize::bytes() predicts from a configuration). Activation buffers are not counted.
  double state_bytes() const;

  // Multiply-adds of the dense parts (matrix products) of one example's forward pass, times 2.
  virtual double forward_flops_per_example() const = 0;

  // The bias added last to logit `output` (in [0, outputs())), e.g. to start a model at a prior
  // rate after reset().
  virtual T& output_bias(int output) = 0;

 protected:
  // `task_weights` >= 0, one per output. Throws std::invalid_argument on bad arguments.
  Network(int fields, std::size_t buckets, const Vector<T>& task_weights,
          const OptimizerConfig& optimizer);

  // Registers parameters; the implementation's constructor calls these for every parameter it
  // owns (names unique), then reset(seed).
  void add(Parameter<T>& parameter);
  void add(EmbeddingTable<T>& table);

 private:
  // Writes the logits of x (outputs() x B) and keeps what backward() needs.
  virtual void forward(const IndexMatrix& x, MatrixRef<T> logits) = 0;
  // The loss of the logits of the last forward() and dL/dlogits. Default: weighted BCE per task.
  virtual T loss(ConstMatrixRef<T> logits, const Targets<T>& y, MatrixRef<T> dlogits);
  // Given dL/dlogits of the last forward(x), sets every gradient (embedding gradients arrive
  // zeroed and are accumulated).
  virtual void backward(const IndexMatrix& x, ConstMatrixRef<T> dlogits) = 0;

  void check_inputs(const IndexMatrix& x) const;
  void check_targets(const IndexMatrix& x, const Targets<T>& y) const;

  int fields_;
  std::size_t buckets_;
  Vector<T> task_weights_;
  Optimizer<T> optimizer_;
  ParameterSet<T> parameters_;
  Buffer<T> logits_;
  Buffer<T> dlogits_;
};

extern template class Network<float>;
extern template class Network<double>;

}  // namespace marketsim::nn
