// Parameter: one dense trainable tensor of a network (value, gradient, optimizer state) and the
// rule that initialises it.
#pragma once

#include <string>
#include <vector>

#include "models/nn/tensor.h"
#include "sim/core/rng.h"

namespace marketsim::nn {

template <class T>
class EmbeddingTable;

// How a parameter is drawn by reset():
//   kZero           all zeros (biases);
//   kGlorotUniform  U(-a, a) with a = sqrt(6 / (fan_in + fan_out)) (Glorot & Bengio 2010);
//   kNormal         N(0, sd^2).
struct Initializer {
  enum class Kind { kZero, kGlorotUniform, kNormal };
  Kind kind = Kind::kZero;
  double fan_in = 0;
  double fan_out = 0;
  double sd = 0;

  static Initializer zero() { return {}; }
  static Initializer glorot_uniform(double fan_in, double fan_out) {
    return {Kind::kGlorotUniform, fan_in, fan_out, 0};
  }
  static Initializer normal(double sd) { return {Kind::kNormal, 0, 0, sd}; }

  // Overwrites every entry of `value` with draws from `rng` (column by column).
  template <class T>
  void apply(Matrix<T>& value, RngStream& rng) const;
};

// A dense parameter, updated in full by every optimizer step. `gradient` has the shape of `value`
// and holds dL/dvalue of the last loss_and_gradients(); `moment1` and `moment2` are the
// optimizer's state (sized by Optimizer::reset: empty for SGD, moment1 only for Adagrad, both for
// Adam). `name` is unique within its network and keys its initialisation stream.
template <class T>
struct Parameter {
  Parameter(std::string name, Eigen::Index rows, Eigen::Index cols, Initializer init)
      : name(std::move(name)),
        value(Matrix<T>::Zero(rows, cols)),
        gradient(Matrix<T>::Zero(rows, cols)),
        init(init) {}

  std::string name;
  Matrix<T> value;
  Matrix<T> gradient;
  Matrix<T> moment1;
  Matrix<T> moment2;
  Initializer init;
};

// Non-owning pointers to every parameter of a network, in a fixed order.
template <class T>
struct ParameterSet {
  std::vector<Parameter<T>*> dense;
  std::vector<EmbeddingTable<T>*> embeddings;
};

extern template void Initializer::apply<float>(Matrix<float>&, RngStream&) const;
extern template void Initializer::apply<double>(Matrix<double>&, RngStream&) const;

}  // namespace marketsim::nn
