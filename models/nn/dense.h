// Dense: a fully connected layer y = act(W x + b) over a batch, with its backward pass.
#pragma once

#include <string>

#include "models/nn/parameter.h"
#include "models/nn/tensor.h"

namespace marketsim::nn {

enum class Activation { kLinear, kRelu };

// W is outputs x inputs (Glorot-uniform initialised with fan_in = inputs and fan_out =
// `init_fan_out`, by default outputs), b is outputs x 1 (zero initialised). The layer keeps its
// last output and a delta buffer of the same shape for the backward pass; both only grow, so
// calls at or below the largest batch seen so far do not allocate (beyond Eigen's own GEMM
// blocking for large products). Not thread-safe.
template <class T>
class Dense {
 public:
  // Parameters are named `name`.weight and `name`.bias. inputs, outputs >= 1.
  Dense(const std::string& name, int inputs, int outputs, Activation activation,
        int init_fan_out = 0);

  int inputs() const { return static_cast<int>(weight_.value.cols()); }
  int outputs() const { return static_cast<int>(weight_.value.rows()); }
  Parameter<T>& weight() { return weight_; }
  Parameter<T>& bias() { return bias_; }

  // y = act(W x + b) for x (inputs x B); returns y (outputs x B), kept until the next forward().
  ConstMatrixMap<T> forward(ConstMatrixRef<T> x);
  ConstMatrixMap<T> output() const { return output_.view(); }

  // dL/dy (outputs x B of the last forward()): the caller writes it here before backward().
  MatrixMap<T> delta() { return delta_.resize(outputs(), output_.view().cols()); }

  // With delta() = dL/dy and `x` the input of the last forward(): turns delta() into
  // dL/d(W x + b) and sets the gradients dL/dW = delta x^T and dL/db = delta 1.
  void backward(ConstMatrixRef<T> x);

  // After backward(): writes dL/dx = W^T delta (inputs x B) into `dx`, or adds it when
  // `accumulate`.
  void backward_input(MatrixRef<T> dx, bool accumulate) const;

  // Multiply-adds of W x, times 2.
  double flops_per_example() const { return 2.0 * inputs() * outputs(); }

 private:
  Activation activation_;
  Parameter<T> weight_;
  Parameter<T> bias_;
  Buffer<T> output_;
  Buffer<T> delta_;
};

extern template class Dense<float>;
extern template class Dense<double>;

}  // namespace marketsim::nn
