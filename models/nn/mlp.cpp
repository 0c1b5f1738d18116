// Mlp: forward through the ReLU layers, backward in reverse order.
#include "models/nn/mlp.h"

#include <stdexcept>

namespace marketsim::nn {

template <class T>
Mlp<T>::Mlp(const std::string& name, int inputs, const std::vector<int>& units) : inputs_(inputs) {
  if (inputs < 1) throw std::invalid_argument("nn: " + name + " has no inputs");
  layers_.reserve(units.size());
  int width = inputs;
  for (std::size_t i = 0; i < units.size(); ++i) {
    layers_.emplace_back(name + "." + std::to_string(i), width, units[i], Activation::kRelu);
    width = units[i];
  }
}

template <class T>
ConstMatrixRef<T> Mlp<T>::forward(ConstMatrixRef<T> x) {
  if (layers_.empty()) return x;
  layers_.front().forward(x);
  for (std::size_t i = 1; i < layers_.size(); ++i) layers_[i].forward(layers_[i - 1].output());
  return layers_.back().output();
}

template <class T>
void Mlp<T>::backward(ConstMatrixRef<T> x, ConstMatrixRef<T> d_output, MatrixRef<T> dx,
                      bool accumulate) {
  if (layers_.empty()) {
    if (accumulate)
      dx += d_output;
    else
      dx = d_output;
    return;
  }
  layers_.back().delta() = d_output;
  for (std::size_t i = layers_.size() - 1; i > 0; --i) {
    layers_[i].backward(layers_[i - 1].output());
    layers_[i].backward_input(layers_[i - 1].delta(), false);
  }
  layers_.front().backward(x);
  layers_.front().backward_input(dx, accumulate);
}

template <class T>
void Mlp<T>::collect(std::vector<Parameter<T>*>& out) {
  for (Dense<T>& layer : layers_) {
    out.push_back(&layer.weight());
    out.push_back(&layer.bias());
  }
}

template <class T>
double Mlp<T>::flops_per_example() const {
  double flops = 0;
  for (const Dense<T>& layer : layers_) flops += layer.flops_per_example();
  return flops;
}

template class Mlp<float>;
template class Mlp<double>;

}  // namespace marketsim::nn
