// DcnV2: the Deep & Cross Network V2 click model on hashed categorical fields.
#pragma once

#include <cstddef>
#include <vector>

#include "models/nn/cross_layer.h"
#include "models/nn/mlp.h"
#include "models/nn/network.h"
#include "models/nn/state_size.h"

namespace marketsim::nn {

// The architecture and training settings of a DcnV2.
//   fields             >= 1 input fields (rows of the IndexMatrix).
//   embedding_dim      >= 1 entries per field vector; D = fields * embedding_dim.
//   cross_layers       >= 0 cross layers of full D x D matrices.
//   parallel           false: stacked (deep MLP on the last cross output); true: cross stack and
//                      deep MLP both read x0 and their outputs are concatenated. Without deep
//                      units both structures are the cross stack alone.
//   deep_units         widths of the ReLU layers of the deep part (may be empty).
//   buckets            >= 1 rows of the shared embedding table.
//   embedding_init_sd  >= 0, embeddings start N(0, sd^2).
struct DcnV2Config {
  int fields = 12;
  int embedding_dim = 8;
  int cross_layers = 3;
  bool parallel = false;
  std::vector<int> deep_units = {128, 128};
  std::size_t buckets = std::size_t{1} << 18;
  double embedding_init_sd = 0.01;
  OptimizerConfig optimizer;
};

// The sizes of the parameters DcnV2 builds for `config` (its memory before it is built).
StateSize state_size(const DcnV2Config& config);

// DCN-V2 (Wang et al. 2021, "DCN V2: Improved Deep & Cross Network and Practical Lessons for
// Web-scale Learning to Rank Systems"): x0 is the concatenation of the fields' embeddings;
// cross layers x_{l+1} = x0 ⊙ (W_l x_l + b_l) + x_l; a deep ReLU MLP stacked on x_L or parallel
// to the cross stack; a linear output layer gives one logit (click), trained with the weighted
// BCE of weighted_bce_with_logits. With cross_layers = 0 and no deep units it is logistic
// regression on the embeddings, logit = w . x0 + b: a linear model of the one-hot features.
// Parameter names: "embedding", "cross<l>.{weight,bias}", "deep.<i>.{weight,bias}",
// "output.{weight,bias}". See Network for memory and thread safety.
template <class T>
class DcnV2 final : public Network<T> {
 public:
  // Initialised as by reset(seed). Throws std::invalid_argument on a bad config.
  DcnV2(const DcnV2Config& config, std::uint64_t seed);

  const DcnV2Config& config() const { return config_; }
  double forward_flops_per_example() const override;
  T& output_bias(int) override { return output_.bias().value(0, 0); }

 private:
  void forward(const IndexMatrix& x, MatrixRef<T> logits) override;
  void backward(const IndexMatrix& x, ConstMatrixRef<T> dlogits) override;

  // x_l: x0 for l = 0, else the output of cross layer l - 1.
  ConstMatrixMap<T> cross_input(int l) const;
  // The input of the output layer in the last forward().
  ConstMatrixRef<T> top() const;

  DcnV2Config config_;
  bool parallel_;  // parallel with a deep part
  int width_;      // D = fields * embedding_dim
  EmbeddingTable<T> embedding_;
  std::vector<CrossLayer<T>> cross_;
  Mlp<T> deep_;
  Dense<T> output_;
  Buffer<T> x0_;
  Buffer<T> concat_;   // parallel: [x_L; deep(x0)]
  Buffer<T> d_top_;    // dL/d(input of the output layer)
  Buffer<T> d_cross_;  // stacked: dL/dx_l, walking down the cross stack
  Buffer<T> dx0_;
};

extern template class DcnV2<float>;
extern template class DcnV2<double>;

}  // namespace marketsim::nn
