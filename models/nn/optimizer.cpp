// Optimizer: the update rules, applied to whole dense parameters and to touched embedding rows.
#include "models/nn/optimizer.h"

#include <cmath>
#include <stdexcept>

namespace marketsim::nn {

namespace {

// The per-step constants of one update, in T.
template <class T>
struct StepConstants {
  OptimizerKind kind;
  T lr, l2, beta1, beta2, epsilon;
  T bias1, bias2;  // Adam: 1 / (1 - beta^t)
};

// Updates columns [first, first + count) of `value` from their gradient and optimizer state
// (`m1`, `m2` are read only by the kinds that keep them).
template <class T, class Gradient>
void update(const StepConstants<T>& c, Matrix<T>& value, Matrix<T>& m1, Matrix<T>& m2,
            Eigen::Index first, Eigen::Index count, const Gradient& gradient) {
  auto w = value.middleCols(first, count).array();
  const auto g = gradient.array() + c.l2 * w;
  switch (c.kind) {
    case OptimizerKind::kSgd:
      w -= c.lr * g;
      return;
    case OptimizerKind::kAdagrad: {
      auto sum_sq = m1.middleCols(first, count).array();
      sum_sq += g.square();
      w -= c.lr * g / (sum_sq.sqrt() + c.epsilon);
      return;
    }
    case OptimizerKind::kAdam: {
      auto m = m1.middleCols(first, count).array();
      auto v = m2.middleCols(first, count).array();
      m = c.beta1 * m + (1 - c.beta1) * g;
      v = c.beta2 * v + (1 - c.beta2) * g.square();
      w -= c.lr * (c.bias1 * m) / ((c.bias2 * v).sqrt() + c.epsilon);
      return;
    }
  }
}

template <class T>
void size_state(OptimizerKind kind, Eigen::Index rows, Eigen::Index cols, Matrix<T>& m1,
                Matrix<T>& m2) {
  const int n = optimizer_moments(kind);
  m1.setZero(n >= 1 ? rows : 0, n >= 1 ? cols : 0);
  m2.setZero(n >= 2 ? rows : 0, n >= 2 ? cols : 0);
}

}  // namespace

int optimizer_moments(OptimizerKind kind) {
  switch (kind) {
    case OptimizerKind::kSgd:
      return 0;
    case OptimizerKind::kAdagrad:
      return 1;
    case OptimizerKind::kAdam:
      return 2;
  }
  return 0;
}

template <class T>
Optimizer<T>::Optimizer(const OptimizerConfig& config) : config_(config) {
  if (!(config.learning_rate > 0)) throw std::invalid_argument("nn: learning_rate must be > 0");
  if (!(config.l2 >= 0)) throw std::invalid_argument("nn: l2 must be >= 0");
  if (!(config.beta1 >= 0 && config.beta1 < 1) || !(config.beta2 >= 0 && config.beta2 < 1))
    throw std::invalid_argument("nn: beta1 and beta2 must be in [0, 1)");
  if (!(config.epsilon > 0)) throw std::invalid_argument("nn: epsilon must be > 0");
}

template <class T>
void Optimizer<T>::reset(const ParameterSet<T>& parameters) {
  steps_ = 0;
  for (Parameter<T>* p : parameters.dense)
    size_state(config_.kind, p->value.rows(), p->value.cols(), p->moment1, p->moment2);
  for (EmbeddingTable<T>* table : parameters.embeddings)
    size_state(config_.kind, table->value.rows(), table->value.cols(), table->moment1,
               table->moment2);
}

template <class T>
void Optimizer<T>::step(const ParameterSet<T>& parameters) {
  ++steps_;
  const double t = static_cast<double>(steps_);
  const StepConstants<T> c{config_.kind,
                           static_cast<T>(config_.learning_rate),
                           static_cast<T>(config_.l2),
                           static_cast<T>(config_.beta1),
                           static_cast<T>(config_.beta2),
                           static_cast<T>(config_.epsilon),
                           static_cast<T>(1 / (1 - std::pow(config_.beta1, t))),
                           static_cast<T>(1 / (1 - std::pow(config_.beta2, t)))};
  for (Parameter<T>* p : parameters.dense)
    update(c, p->value, p->moment1, p->moment2, 0, p->value.cols(), p->gradient);
  for (EmbeddingTable<T>* table : parameters.embeddings) {
    const auto touched = table->touched();
    for (std::size_t s = 0; s < touched.size(); ++s)
      update(c, table->value, table->moment1, table->moment2, static_cast<Eigen::Index>(touched[s]),
             1, table->gradient(s));
  }
}

template class Optimizer<float>;
template class Optimizer<double>;

}  // namespace marketsim::nn
