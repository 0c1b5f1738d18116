// FactorizationMachine: the O(fields x k) pairwise form and its gradient.
#include "models/nn/factorization_machine.h"

#include <stdexcept>
#include <utility>

namespace marketsim::nn {
namespace {

int checked_factors(const FmConfig& c) {
  if (c.fields < 1 || c.factors < 1)
    throw std::invalid_argument("fm: fields and factors must be >= 1");
  return c.factors;
}

}  // namespace

StateSize state_size(const FmConfig& config) {
  StateSize size;
  size.per_bucket = checked_factors(config) + 1;
  size.dense = 1;  // the bias
  size.flops = 2.0 * config.fields * (2.0 * config.factors + 1);
  return size;
}

template <class T>
FactorizationMachine<T>::FactorizationMachine(const FmConfig& config, std::uint64_t seed)
    : Network<T>(config.fields, config.buckets, Vector<T>::Ones(1), config.optimizer),
      config_(config),
      embedding_("embedding", config.buckets, checked_factors(config) + 1,
                 config.embedding_init_sd),
      bias_("bias", 1, 1, Initializer::zero()) {
  this->add(embedding_);
  this->add(bias_);
  this->reset(seed);
}

template <class T>
double FactorizationMachine<T>::forward_flops_per_example() const {
  // Per field: the linear weight, and k adds and k multiply-adds for the two sums.
  return 2.0 * config_.fields * (2.0 * config_.factors + 1);
}

template <class T>
void FactorizationMachine<T>::forward(const IndexMatrix& x, MatrixRef<T> logits) {
  const int k = config_.factors, d = k + 1, fields = config_.fields;
  MatrixMap<T> x0 = x0_.resize(fields * d, x.cols());
  embedding_.gather(x, x0);
  MatrixMap<T> sum = sum_.resize(k, x.cols());
  sum.setZero();
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    T linear = bias_.value(0, 0), squares = 0;
    for (int f = 0; f < fields; ++f) {
      const auto e = x0.col(j).segment(f * d, d);
      linear += e(0);
      sum.col(j) += e.tail(k);
      squares += e.tail(k).squaredNorm();
    }
    logits(0, j) = linear + T(0.5) * (sum.col(j).squaredNorm() - squares);
  }
}

template <class T>
void FactorizationMachine<T>::backward(const IndexMatrix& x, ConstMatrixRef<T> dlogits) {
  const int k = config_.factors, d = k + 1, fields = config_.fields;
  const ConstMatrixMap<T> x0 = std::as_const(x0_).view();
  const ConstMatrixMap<T> sum = std::as_const(sum_).view();
  MatrixMap<T> dx0 = dx0_.resize(fields * d, x.cols());
  bias_.gradient(0, 0) = dlogits.sum();
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const T g = dlogits(0, j);
    for (int f = 0; f < fields; ++f) {
      // d logit / d w_f = 1, d logit / d v_fk = S_k - v_fk.
      dx0(f * d, j) = g;
      dx0.col(j).segment(f * d + 1, k) = g * (sum.col(j) - x0.col(j).segment(f * d + 1, k));
    }
  }
  embedding_.accumulate_gradient(x, dx0);
}

template class FactorizationMachine<float>;
template class FactorizationMachine<double>;

}  // namespace marketsim::nn
