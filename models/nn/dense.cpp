// Dense: batched GEMM forward and backward passes.
#include "models/nn/dense.h"

#include <stdexcept>

namespace marketsim::nn {

template <class T>
Dense<T>::Dense(const std::string& name, int inputs, int outputs, Activation activation,
                int init_fan_out)
    : activation_(activation),
      weight_(name + ".weight", outputs, inputs,
              Initializer::glorot_uniform(inputs, init_fan_out > 0 ? init_fan_out : outputs)),
      bias_(name + ".bias", outputs, 1, Initializer::zero()) {
  if (inputs < 1 || outputs < 1) throw std::invalid_argument("nn: " + name + " has an empty side");
}

template <class T>
ConstMatrixMap<T> Dense<T>::forward(ConstMatrixRef<T> x) {
  MatrixMap<T> y = output_.resize(outputs(), x.cols());
  y.noalias() = weight_.value * x;
  const auto b = bias_.value.col(0);
  if (activation_ == Activation::kRelu)
    y = (y.colwise() + b).cwiseMax(T(0));
  else
    y.colwise() += b;
  return output();
}

template <class T>
void Dense<T>::backward(ConstMatrixRef<T> x) {
  MatrixMap<T> d = delta_.view();
  if (activation_ == Activation::kRelu) d = (output_.view().array() > T(0)).select(d, T(0));
  weight_.gradient.noalias() = d * x.transpose();
  bias_.gradient = d.rowwise().sum();
}

template <class T>
void Dense<T>::backward_input(MatrixRef<T> dx, bool accumulate) const {
  const ConstMatrixMap<T> d = delta_.view();
  if (accumulate)
    dx.noalias() += weight_.value.transpose() * d;
  else
    dx.noalias() = weight_.value.transpose() * d;
}

template class Dense<float>;
template class Dense<double>;

}  // namespace marketsim::nn
