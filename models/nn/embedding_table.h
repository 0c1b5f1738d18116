// EmbeddingTable: the hashed embedding table shared by all input fields, with a sparse gradient.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "models/nn/parameter.h"
#include "models/nn/tensor.h"

namespace marketsim::nn {

// `buckets` embedding vectors of `dim` entries, stored as the columns of `value` (dim x buckets),
// so one bucket's vector is contiguous. A batch's gradient is sparse: only the buckets the batch
// touched have one, kept once per bucket (deduplicated, in order of first use) and summed over
// every (field, example) that looked the bucket up. `moment1` and `moment2` are the optimizer's
// state, dim x buckets when used (see Optimizer). init() is the rule Network::reset() applies,
// N(0, init_sd^2). Not thread-safe.
template <class T>
class EmbeddingTable {
 public:
  // `buckets` >= 1, `dim` >= 1, `init_sd` >= 0.
  EmbeddingTable(std::string name, std::size_t buckets, int dim, double init_sd);

  const std::string& name() const { return name_; }
  std::size_t buckets() const { return slot_.size(); }
  int dim() const { return dim_; }
  Initializer init() const { return Initializer::normal(init_sd_); }

  // Writes x0 (fields * dim x B): rows [f dim, (f + 1) dim) of column j are the vector of bucket
  // x(f, j). Buckets must be < buckets() (the caller checks).
  void gather(const IndexMatrix& x, MatrixRef<T> x0) const;

  // Forgets the gradient of the previous batch (touched() becomes empty).
  void zero_gradient();

  // Adds the gradient of a batch: dL/dx0 (fields * dim x B) for the lookups `x`, scattered onto
  // the buckets they read.
  void accumulate_gradient(const IndexMatrix& x, ConstMatrixRef<T> dx0);

  // The buckets with a gradient, in order of first use, and the gradient of touched()[slot].
  std::span<const std::uint32_t> touched() const { return touched_; }
  auto gradient(std::size_t slot) const { return gradient_.col(static_cast<Eigen::Index>(slot)); }

  Matrix<T> value;
  Matrix<T> moment1;
  Matrix<T> moment2;

 private:
  std::string name_;
  int dim_;
  double init_sd_;
  std::vector<std::int32_t> slot_;      // per bucket: its column of gradient_, or -1
  std::vector<std::uint32_t> touched_;  // the buckets with slot_ >= 0, in slot order
  Matrix<T> gradient_;                  // dim x capacity; column s belongs to touched_[s]
};

extern template class EmbeddingTable<float>;
extern template class EmbeddingTable<double>;

}  // namespace marketsim::nn
