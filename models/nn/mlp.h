// Mlp: a stack of ReLU dense layers (possibly empty) over a batch, with its backward pass.
#pragma once

#include <string>
#include <vector>

#include "models/nn/dense.h"

namespace marketsim::nn {

// Layer i maps units[i - 1] (inputs for i = 0) to units[i] through ReLU; the layers are named
// `name`.0, `name`.1, ... With no units the stack is the identity. Buffers only grow (see
// Dense). Not thread-safe.
template <class T>
class Mlp {
 public:
  // inputs >= 1, every width >= 1.
  Mlp(const std::string& name, int inputs, const std::vector<int>& units);

  // Width of the last layer, or the input width when there is none.
  int outputs() const { return layers_.empty() ? inputs_ : layers_.back().outputs(); }

  // The output for x (inputs x B): a view of the last layer's buffer, or x itself when empty.
  ConstMatrixRef<T> forward(ConstMatrixRef<T> x);

  // The output of the last forward(x): the last layer's buffer, or x when there is no layer.
  ConstMatrixRef<T> output(ConstMatrixRef<T> x) const {
    if (layers_.empty()) return x;
    return layers_.back().output();
  }

  // With `x` the input of the last forward() and `d_output` = dL/d(output) (outputs x B): sets
  // every layer's gradients and writes dL/dx (inputs x B) into `dx`, or adds it when
  // `accumulate`. `d_output` may not alias `dx`.
  void backward(ConstMatrixRef<T> x, ConstMatrixRef<T> d_output, MatrixRef<T> dx, bool accumulate);

  // Appends the layers' parameters to `out`.
  void collect(std::vector<Parameter<T>*>& out);

  double flops_per_example() const;

 private:
  int inputs_;
  std::vector<Dense<T>> layers_;
};

extern template class Mlp<float>;
extern template class Mlp<double>;

}  // namespace marketsim::nn
