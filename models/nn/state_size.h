// StateSize: what a network's parameters and optimizer state take in memory, from its
// configuration alone.
#pragma once

#include <cstddef>
#include <vector>

#include "models/nn/optimizer.h"

namespace marketsim::nn {

// The entries of a network's dense parameters and of one bucket of its embedding tables, so that
// an estimate can tell what a network will hold before it is built: each network declares
// state_size(config) beside its constructor (tested against Network::state_bytes() of the
// network built from the same config).
struct StateSize {
  double dense = 0;       // entries of the dense parameters (weights and biases)
  double per_bucket = 0;  // entries of one bucket's rows of the embedding tables
  double flops = 0;       // of one example's forward pass, as Network::forward_flops_per_example()

  // A Dense layer's weight and bias, and its product's 2 x inputs x outputs flops.
  void add_dense(int inputs, int outputs);
  // An Mlp's layers; returns its output width (`inputs` when it has none).
  int add_mlp(int inputs, const std::vector<int>& units);

  // Bytes with `buckets` embedding rows of scalars of `scalar_bytes` each: a dense entry's value
  // and gradient, an embedding entry's value, each with the optimizer's moments, and one index
  // per bucket (its slot in the sparse gradient). Activation buffers are not counted.
  double bytes(std::size_t buckets, OptimizerKind optimizer, std::size_t scalar_bytes) const;
};

}  // namespace marketsim::nn
