// Mmoe: the Multi-gate Mixture-of-Experts multi-task model on hashed categorical fields.
#pragma once

#include <cstddef>
#include <vector>

#include "models/nn/dense.h"
#include "models/nn/network.h"
#include "models/nn/state_size.h"

namespace marketsim::nn {

// The architecture and training settings of an Mmoe.
//   fields, embedding_dim  >= 1; x0 has D = fields * embedding_dim entries.
//   experts                >= 1 experts, each one ReLU layer D -> expert_units.
//   expert_units           >= 1.
//   tower_units            >= 1, the ReLU layer of each task's tower.
//   task_weights           >= 0, one per task: the number of tasks and each task's weight in the
//                          loss (0: the task contributes nothing). The simulator's three tasks
//                          are 0 click, 1 conversion given click, 2 return given click.
//   buckets                >= 1 rows of the shared embedding table.
//   embedding_init_sd      >= 0, embeddings start N(0, sd^2).
struct MmoeConfig {
  int fields = 12;
  int embedding_dim = 8;
  int experts = 4;
  int expert_units = 64;
  int tower_units = 32;
  std::vector<double> task_weights = {1, 1, 1};
  std::size_t buckets = std::size_t{1} << 18;
  double embedding_init_sd = 0.01;
  OptimizerConfig optimizer;
};

// The sizes of the parameters Mmoe builds for `config` (its memory before it is built).
StateSize state_size(const MmoeConfig& config);

// MMoE (Ma et al. 2018, "Modeling Task Relationships in Multi-task Learning with Multi-gate
// Mixture-of-Experts"): x0 is the concatenation of the fields' embeddings; expert e computes
// h_e = relu(A_e x0 + a_e); task t mixes them with its gate g_t = softmax(G_t x0 + c_t),
// z_t = sum_e g_te h_e, and its tower gives the logit w_t . relu(V_t z_t + v_t) + b_t. Loss:
// weighted_bce_with_logits with the config's task weights; Targets masks say which labels exist
// (e.g. conversion only for clicked examples). The experts are one stacked D x (E U) layer and
// the gates one D x (T E) layer (the same functions as separate matrices; initialised
// Glorot-uniform with the fan-out of one expert, one gate). Parameter names: "embedding",
// "experts.*", "gates.*", "tower<t>.*", "head<t>.*". See Network for memory and thread safety.
template <class T>
class Mmoe final : public Network<T> {
 public:
  // Initialised as by reset(seed). Throws std::invalid_argument on a bad config.
  Mmoe(const MmoeConfig& config, std::uint64_t seed);

  const MmoeConfig& config() const { return config_; }
  double forward_flops_per_example() const override;
  T& output_bias(int output) override {
    return heads_[static_cast<std::size_t>(output)].bias().value(0, 0);
  }

 private:
  void forward(const IndexMatrix& x, MatrixRef<T> logits) override;
  void backward(const IndexMatrix& x, ConstMatrixRef<T> dlogits) override;

  MmoeConfig config_;
  int width_;  // D
  int tasks_;
  EmbeddingTable<T> embedding_;
  Dense<T> experts_;  // D -> experts * expert_units, ReLU
  Dense<T> gates_;    // D -> tasks * experts, gate logits
  std::vector<Dense<T>> towers_;
  std::vector<Dense<T>> heads_;
  Buffer<T> x0_;
  Buffer<T> gate_;   // tasks * experts x B: softmax of each task's block of gate logits
  Buffer<T> mixed_;  // tasks * expert_units x B: z_t in rows [t U, (t + 1) U)
  Buffer<T> d_mixed_;
  Buffer<T> dx0_;
};

extern template class Mmoe<float>;
extern template class Mmoe<double>;

}  // namespace marketsim::nn
