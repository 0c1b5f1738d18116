// Helpers of the marketsim::nn tests: random batches, targets and parameter values.
#pragma once

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cstddef>

#include "models/nn/network.h"
#include "sim/core/rng.h"

namespace marketsim::nn::testing {

// Uniform buckets in [0, buckets), fields x batch.
inline IndexMatrix random_inputs(int fields, std::size_t buckets, int batch, RngStream& rng) {
  boost::random::uniform_int_distribution<std::uint32_t> bucket(
      0, static_cast<std::uint32_t>(buckets - 1));
  IndexMatrix x(fields, batch);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = bucket(rng);
  return x;
}

// Labels Bernoulli(1/2), masks Bernoulli(mask_probability), weights U(0.5, 2).
template <class T>
Targets<T> random_targets(int tasks, int batch, double mask_probability, RngStream& rng) {
  boost::random::bernoulli_distribution<double> coin(0.5), present(mask_probability);
  boost::random::uniform_real_distribution<T> weight(T(0.5), T(2));
  Targets<T> y{Matrix<T>(tasks, batch), Matrix<T>(tasks, batch), RowVector<T>(batch)};
  for (Eigen::Index i = 0; i < y.label.size(); ++i) {
    y.label.data()[i] = coin(rng) ? T(1) : T(0);
    y.mask.data()[i] = present(rng) ? T(1) : T(0);
  }
  for (Eigen::Index j = 0; j < batch; ++j) y.weight(j) = weight(rng);
  return y;
}

// Overwrites every parameter with U(-scale, scale) draws (embeddings U(-1, 1)), so that every
// gradient is of order one rather than of the small initial embedding scale.
template <class T>
void scramble(Network<T>& net, double scale, RngStream& rng) {
  boost::random::uniform_real_distribution<T> dense(static_cast<T>(-scale), static_cast<T>(scale));
  boost::random::uniform_real_distribution<T> embedding(T(-1), T(1));
  for (Parameter<T>* p : net.parameters().dense)
    for (Eigen::Index i = 0; i < p->value.size(); ++i) p->value.data()[i] = dense(rng);
  for (EmbeddingTable<T>* table : net.parameters().embeddings)
    for (Eigen::Index i = 0; i < table->value.size(); ++i) table->value.data()[i] = embedding(rng);
}

}  // namespace marketsim::nn::testing
