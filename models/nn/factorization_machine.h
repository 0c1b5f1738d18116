// FactorizationMachine: a second-order factorization machine over the hashed fields.
#pragma once

#include <cstddef>
#include <cstdint>

#include "models/nn/network.h"
#include "models/nn/state_size.h"

namespace marketsim::nn {

// The shape and training of a FactorizationMachine.
struct FmConfig {
  int fields = 12;
  int factors = 8;  // k
  std::size_t buckets = std::size_t{1} << 18;
  double embedding_init_sd = 0.01;
  OptimizerConfig optimizer;
};

// The sizes of the parameters FactorizationMachine builds for `config` (its memory before it is
// built).
StateSize state_size(const FmConfig& config);

// Rendle's (2010) factorization machine on one-hot fields: with e_f = (w_f, v_f), the embedding of
// field f's bucket (a linear weight and k factors),
//   logit = b + sum_f w_f + 1/2 sum_k [(sum_f v_fk)^2 - sum_f v_fk^2],
// i.e. every pair of fields interacts through <v_f, v_g>, in O(fields x k). One output, trained
// with weighted_bce_with_logits. Parameter names: "embedding" (k + 1 per bucket), "bias". See
// Network for memory and thread safety.
template <class T>
class FactorizationMachine final : public Network<T> {
 public:
  // Initialised as by reset(seed). Throws std::invalid_argument on a bad config.
  FactorizationMachine(const FmConfig& config, std::uint64_t seed);

  const FmConfig& config() const { return config_; }
  double forward_flops_per_example() const override;
  T& output_bias(int) override { return bias_.value(0, 0); }

 private:
  void forward(const IndexMatrix& x, MatrixRef<T> logits) override;
  void backward(const IndexMatrix& x, ConstMatrixRef<T> dlogits) override;

  FmConfig config_;
  EmbeddingTable<T> embedding_;
  Parameter<T> bias_;
  Buffer<T> x0_;   // fields * (k + 1) x B
  Buffer<T> sum_;  // k x B: sum over fields of the factors
  Buffer<T> dx0_;
};

extern template class FactorizationMachine<float>;
extern template class FactorizationMachine<double>;

}  // namespace marketsim::nn
