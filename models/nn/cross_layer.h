// CrossLayer: one DCN-V2 cross layer, x_{l+1} = x0 ⊙ (W x_l + b) + x_l, with its backward pass.
#pragma once

#include <string>

#include "models/nn/dense.h"

namespace marketsim::nn {

// W is a full D x D matrix (Glorot uniform), b is D x 1 (zero), as in Wang et al. 2021, "DCN V2:
// Improved Deep & Cross Network", eq. 1. Keeps W x_l + b and x_{l+1} of the last forward();
// buffers only grow. Not thread-safe.
template <class T>
class CrossLayer {
 public:
  // Parameters `name`.weight and `name`.bias; width = D >= 1.
  CrossLayer(const std::string& name, int width);

  // x_{l+1} for x0 and xl (both D x B); kept until the next forward().
  ConstMatrixMap<T> forward(ConstMatrixRef<T> x0, ConstMatrixRef<T> xl);
  ConstMatrixMap<T> output() const { return output_.view(); }

  // With x0 and xl the inputs of the last forward() and `g` = dL/dx_{l+1} (D x B): sets the
  // gradients of W and b, adds the x0 path's share of dL/dx0 to `dx0`, and turns `g` into
  // dL/dx_l in place.
  void backward(ConstMatrixRef<T> x0, ConstMatrixRef<T> xl, MatrixRef<T> g, MatrixRef<T> dx0);

  Dense<T>& linear() { return linear_; }
  double flops_per_example() const { return linear_.flops_per_example(); }

 private:
  Dense<T> linear_;  // u = W x_l + b
  Buffer<T> output_;
};

extern template class CrossLayer<float>;
extern template class CrossLayer<double>;

}  // namespace marketsim::nn
