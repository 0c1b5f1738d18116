// Weighted binary cross-entropy on logits.
#include "models/nn/loss.h"

namespace marketsim::nn {

template <class T>
T weighted_bce_with_logits(ConstMatrixRef<T> logits, const Targets<T>& y,
                           const Vector<T>& task_weight, MatrixRef<T> dlogits) {
  const Eigen::Index batch = logits.cols();
  const T inv_batch = T(1) / static_cast<T>(batch);
  double loss = 0;
  for (Eigen::Index j = 0; j < batch; ++j) {
    for (Eigen::Index t = 0; t < logits.rows(); ++t) {
      const T c = inv_batch * y.weight(j) * task_weight(t) * y.mask(t, j);
      if (c == 0) {
        dlogits(t, j) = 0;
        continue;
      }
      const T s = logits(t, j);
      const T label = y.label(t, j);
      loss += static_cast<double>(c * (softplus(s) - label * s));
      dlogits(t, j) = c * (sigmoid(s) - label);
    }
  }
  return static_cast<T>(loss);
}

template float weighted_bce_with_logits<float>(ConstMatrixRef<float>, const Targets<float>&,
                                               const Vector<float>&, MatrixRef<float>);
template double weighted_bce_with_logits<double>(ConstMatrixRef<double>, const Targets<double>&,
                                                 const Vector<double>&, MatrixRef<double>);

}  // namespace marketsim::nn
