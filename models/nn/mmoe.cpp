// Mmoe: experts, softmax gates, per-task towers; forward and backward.
#include "models/nn/mmoe.h"

#include <stdexcept>
#include <string>

namespace marketsim::nn {

namespace {

int checked_width(const MmoeConfig& c) {
  if (c.fields < 1 || c.embedding_dim < 1)
    throw std::invalid_argument("mmoe: fields and embedding_dim must be >= 1");
  if (c.experts < 1 || c.expert_units < 1 || c.tower_units < 1)
    throw std::invalid_argument("mmoe: experts, expert_units and tower_units must be >= 1");
  return c.fields * c.embedding_dim;
}

template <class T>
Vector<T> task_weights(const MmoeConfig& c) {
  Vector<T> w(static_cast<Eigen::Index>(c.task_weights.size()));
  for (std::size_t t = 0; t < c.task_weights.size(); ++t)
    w(static_cast<Eigen::Index>(t)) = static_cast<T>(c.task_weights[t]);
  return w;
}

}  // namespace

StateSize state_size(const MmoeConfig& config) {
  const int width = checked_width(config);
  const auto tasks = static_cast<int>(config.task_weights.size());
  StateSize size;
  size.per_bucket = config.embedding_dim;
  size.add_dense(width, config.experts * config.expert_units);
  size.add_dense(width, tasks * config.experts);
  for (int t = 0; t < tasks; ++t) {
    size.add_dense(config.expert_units, config.tower_units);
    size.add_dense(config.tower_units, 1);
  }
  size.flops += 2.0 * tasks * config.experts * config.expert_units;  // the gates' mixing
  return size;
}

template <class T>
Mmoe<T>::Mmoe(const MmoeConfig& config, std::uint64_t seed)
    : Network<T>(config.fields, config.buckets, task_weights<T>(config), config.optimizer),
      config_(config),
      width_(checked_width(config)),
      tasks_(static_cast<int>(config.task_weights.size())),
      embedding_("embedding", config.buckets, config.embedding_dim, config.embedding_init_sd),
      experts_("experts", width_, config.experts * config.expert_units, Activation::kRelu,
               config.expert_units),
      gates_("gates", width_, tasks_ * config.experts, Activation::kLinear, config.experts) {
  towers_.reserve(static_cast<std::size_t>(tasks_));
  heads_.reserve(static_cast<std::size_t>(tasks_));
  for (int t = 0; t < tasks_; ++t) {
    towers_.emplace_back("tower" + std::to_string(t), config.expert_units, config.tower_units,
                         Activation::kRelu);
    heads_.emplace_back("head" + std::to_string(t), config.tower_units, 1, Activation::kLinear);
  }
  this->add(embedding_);
  for (Dense<T>* layer : {&experts_, &gates_}) {
    this->add(layer->weight());
    this->add(layer->bias());
  }
  for (int t = 0; t < tasks_; ++t) {
    this->add(towers_[t].weight());
    this->add(towers_[t].bias());
    this->add(heads_[t].weight());
    this->add(heads_[t].bias());
  }
  this->reset(seed);
}

template <class T>
double Mmoe<T>::forward_flops_per_example() const {
  const double mixing = 2.0 * tasks_ * config_.experts * config_.expert_units;
  double flops = experts_.flops_per_example() + gates_.flops_per_example() + mixing;
  for (int t = 0; t < tasks_; ++t)
    flops += towers_[t].flops_per_example() + heads_[t].flops_per_example();
  return flops;
}

template <class T>
void Mmoe<T>::forward(const IndexMatrix& x, MatrixRef<T> logits) {
  const Eigen::Index batch = x.cols();
  const int experts = config_.experts;
  const int units = config_.expert_units;
  embedding_.gather(x, x0_.resize(width_, batch));
  const ConstMatrixRef<T> x0 = x0_.view();
  const ConstMatrixMap<T> h = experts_.forward(x0);
  MatrixMap<T> gate = gate_.resize(tasks_ * experts, batch);
  gate = gates_.forward(x0);
  MatrixMap<T> mixed = mixed_.resize(tasks_ * units, batch);
  for (int t = 0; t < tasks_; ++t) {
    auto g = gate.middleRows(t * experts, experts);
    for (Eigen::Index j = 0; j < batch; ++j) {
      auto column = g.col(j);
      column = (column.array() - column.maxCoeff()).exp().matrix();
      column /= column.sum();
    }
    auto z = mixed.middleRows(t * units, units);
    z = h.topRows(units).array().rowwise() * g.row(0).array();
    for (int e = 1; e < experts; ++e)
      z.array() += h.middleRows(e * units, units).array().rowwise() * g.row(e).array();
    logits.row(t) = heads_[t].forward(towers_[t].forward(z));
  }
}

template <class T>
void Mmoe<T>::backward(const IndexMatrix& x, ConstMatrixRef<T> dlogits) {
  const Eigen::Index batch = x.cols();
  const int experts = config_.experts;
  const int units = config_.expert_units;
  const ConstMatrixRef<T> x0 = x0_.view();
  const ConstMatrixMap<T> h = experts_.output();
  const ConstMatrixRef<T> gate = gate_.view();
  const ConstMatrixRef<T> mixed = mixed_.view();
  MatrixMap<T> dh = experts_.delta();
  MatrixMap<T> d_gate = gates_.delta();
  MatrixMap<T> dz = d_mixed_.resize(units, batch);
  dh.setZero();
  for (int t = 0; t < tasks_; ++t) {
    heads_[t].delta() = dlogits.row(t);
    heads_[t].backward(towers_[t].output());
    heads_[t].backward_input(towers_[t].delta(), false);
    towers_[t].backward(mixed.middleRows(t * units, units));
    towers_[t].backward_input(dz, false);
    // z_t = sum_e g_te h_e:  dL/dh_e += g_te dz,  dL/dg_te = h_e . dz (per example).
    const auto g = gate.middleRows(t * experts, experts);
    auto dg = d_gate.middleRows(t * experts, experts);
    for (int e = 0; e < experts; ++e) {
      const auto h_e = h.middleRows(e * units, units);
      dh.middleRows(e * units, units).array() += dz.array().rowwise() * g.row(e).array();
      dg.row(e) = h_e.cwiseProduct(dz).colwise().sum();
    }
    // Softmax: dL/d(gate logit)_e = g_e (dL/dg_e - sum_k g_k dL/dg_k).
    for (Eigen::Index j = 0; j < batch; ++j) {
      const T mean = g.col(j).dot(dg.col(j));
      dg.col(j) = (g.col(j).array() * (dg.col(j).array() - mean)).matrix();
    }
  }
  MatrixMap<T> dx0 = dx0_.resize(width_, batch);
  experts_.backward(x0);
  experts_.backward_input(dx0, false);
  gates_.backward(x0);
  gates_.backward_input(dx0, true);
  embedding_.accumulate_gradient(x, dx0);
}

template class Mmoe<float>;
template class Mmoe<double>;

}  // namespace marketsim::nn
