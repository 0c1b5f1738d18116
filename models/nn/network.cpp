// Network: checks, the training step and initialisation shared by every implementation.
#include "models/nn/network.h"

#include <stdexcept>
#include <string>

#include "models/nn/loss.h"

namespace marketsim::nn {

template <class T>
Network<T>::Network(int fields, std::size_t buckets, const Vector<T>& task_weights,
                    const OptimizerConfig& optimizer)
    : fields_(fields), buckets_(buckets), task_weights_(task_weights), optimizer_(optimizer) {
  if (fields < 1) throw std::invalid_argument("nn: a network needs at least one field");
  if (task_weights.size() < 1 || !(task_weights.array() >= T(0)).all())
    throw std::invalid_argument("nn: task weights must be >= 0, at least one");
}

template <class T>
void Network<T>::add(Parameter<T>& parameter) {
  for (const Parameter<T>* p : parameters_.dense)
    if (p->name == parameter.name) throw std::logic_error("nn: duplicate name " + p->name);
  parameters_.dense.push_back(&parameter);
}

template <class T>
void Network<T>::add(EmbeddingTable<T>& table) {
  if (table.buckets() != buckets_) throw std::logic_error("nn: embedding table size mismatch");
  parameters_.embeddings.push_back(&table);
}

template <class T>
double Network<T>::state_bytes() const {
  Eigen::Index entries = 0;
  for (const Parameter<T>* p : parameters_.dense)
    entries += p->value.size() + p->gradient.size() + p->moment1.size() + p->moment2.size();
  double indices = 0;
  for (const EmbeddingTable<T>* table : parameters_.embeddings) {
    entries += table->value.size() + table->moment1.size() + table->moment2.size();
    indices += static_cast<double>(table->buckets());
  }
  return static_cast<double>(entries) * sizeof(T) + indices * sizeof(std::int32_t);
}

template <class T>
void Network<T>::predict_logits(const IndexMatrix& x, Matrix<T>& logits) {
  check_inputs(x);
  logits.resize(outputs(), x.cols());
  if (x.cols() > 0) forward(x, logits);
}

template <class T>
T Network<T>::loss_and_gradients(const IndexMatrix& x, const Targets<T>& y) {
  check_targets(x, y);
  MatrixMap<T> logits = logits_.resize(outputs(), x.cols());
  MatrixMap<T> dlogits = dlogits_.resize(outputs(), x.cols());
  forward(x, logits);
  const T value = loss(logits, y, dlogits);
  for (EmbeddingTable<T>* table : parameters_.embeddings) table->zero_gradient();
  backward(x, dlogits);
  return value;
}

template <class T>
T Network<T>::train_step(const IndexMatrix& x, const Targets<T>& y) {
  const T value = loss_and_gradients(x, y);
  optimizer_.step(parameters_);
  return value;
}

template <class T>
void Network<T>::reset(std::uint64_t seed) {
  const ReplicationKey key{seed, 0};
  for (Parameter<T>* p : parameters_.dense) {
    RngStream rng(key, p->name, 0);
    p->init.apply(p->value, rng);
    p->gradient.setZero();
  }
  for (EmbeddingTable<T>* table : parameters_.embeddings) {
    RngStream rng(key, table->name(), 0);
    table->init().apply(table->value, rng);
    table->zero_gradient();
  }
  optimizer_.reset(parameters_);
}

template <class T>
T Network<T>::loss(ConstMatrixRef<T> logits, const Targets<T>& y, MatrixRef<T> dlogits) {
  return weighted_bce_with_logits<T>(logits, y, task_weights_, dlogits);
}

template <class T>
void Network<T>::check_inputs(const IndexMatrix& x) const {
  if (x.rows() != fields_)
    throw std::invalid_argument("nn: inputs have " + std::to_string(x.rows()) +
                                " fields, the network " + std::to_string(fields_));
  if (x.size() > 0 && x.maxCoeff() >= buckets_)
    throw std::invalid_argument("nn: a bucket index is >= " + std::to_string(buckets_));
}

template <class T>
void Network<T>::check_targets(const IndexMatrix& x, const Targets<T>& y) const {
  check_inputs(x);
  if (x.cols() < 1) throw std::invalid_argument("nn: a training batch needs an example");
  const auto same = [&](const Matrix<T>& m) {
    return m.rows() == outputs() && m.cols() == x.cols();
  };
  if (!same(y.label) || !same(y.mask) || y.weight.cols() != x.cols())
    throw std::invalid_argument("nn: targets must be outputs x batch (weight 1 x batch)");
}

template class Network<float>;
template class Network<double>;

}  // namespace marketsim::nn
