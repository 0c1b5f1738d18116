// CrossLayer: forward and backward of x0 ⊙ (W x_l + b) + x_l.
#include "models/nn/cross_layer.h"

namespace marketsim::nn {

template <class T>
CrossLayer<T>::CrossLayer(const std::string& name, int width)
    : linear_(name, width, width, Activation::kLinear) {}

template <class T>
ConstMatrixMap<T> CrossLayer<T>::forward(ConstMatrixRef<T> x0, ConstMatrixRef<T> xl) {
  const ConstMatrixMap<T> u = linear_.forward(xl);
  MatrixMap<T> y = output_.resize(xl.rows(), xl.cols());
  y = x0.cwiseProduct(u) + xl;
  return output();
}

template <class T>
void CrossLayer<T>::backward(ConstMatrixRef<T> x0, ConstMatrixRef<T> xl, MatrixRef<T> g,
                             MatrixRef<T> dx0) {
  // x_{l+1} = x0 ⊙ u + x_l:  dL/du = x0 ⊙ g,  dL/dx0 += u ⊙ g,  dL/dx_l = g + W^T dL/du.
  linear_.delta() = x0.cwiseProduct(g);
  dx0 += linear_.output().cwiseProduct(g);
  linear_.backward(xl);
  linear_.backward_input(g, true);
}

template class CrossLayer<float>;
template class CrossLayer<double>;

}  // namespace marketsim::nn
