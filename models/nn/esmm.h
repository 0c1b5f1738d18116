// Esmm: the Entire Space Multi-task Model of click and post-click conversion.
#pragma once

#include <cstddef>
#include <vector>

#include "models/nn/mlp.h"
#include "models/nn/network.h"
#include "models/nn/state_size.h"

namespace marketsim::nn {

// The architecture and training settings of an Esmm.
//   fields, embedding_dim  >= 1; x0 has D = fields * embedding_dim entries.
//   ctr_units, cvr_units   widths of the ReLU layers of each tower (may be empty).
//   ctr_weight             >= 0, weight of the CTR term of the loss.
//   ctcvr_weight           >= 0, weight of the CTCVR term.
//   buckets                >= 1 rows of the shared embedding table.
//   embedding_init_sd      >= 0, embeddings start N(0, sd^2).
struct EsmmConfig {
  int fields = 12;
  int embedding_dim = 8;
  std::vector<int> ctr_units = {64, 32};
  std::vector<int> cvr_units = {64, 32};
  double ctr_weight = 1;
  double ctcvr_weight = 1;
  std::size_t buckets = std::size_t{1} << 18;
  double embedding_init_sd = 0.01;
  OptimizerConfig optimizer;
};

// The sizes of the parameters Esmm builds for `config` (its memory before it is built).
StateSize state_size(const EsmmConfig& config);

// The ESMM loss of a batch of B examples with logits s (2 x B: s1 = CTR, s2 = CVR), p1 =
// sigmoid(s1), p2 = sigmoid(s2), p = p1 p2 (pCTCVR):
//   L = (1 / B) sum_j weight(j) [ctr_weight mask(0, j) BCE(p1, label(0, j))
//                               + ctcvr_weight mask(1, j) BCE(p, label(1, j))],
// BCE(q, y) = -[y log q + (1 - y) log(1 - q)], label(1, j) = click AND conversion. Stable form:
// log p = -softplus(-s1) - softplus(-s2), and log(1 - p) = log(sigma(-s1) + sigma(s1) sigma(-s2))
// = log_add_exp(-softplus(s1), -softplus(-s1) - softplus(s2)), a sum of two positive terms, so it
// keeps its relative precision as p -> 1 where log1p(-p1 p2) would not. Gradient of the CTCVR
// term: dBCE/dp = (p - y) / (p (1 - p)), dp/ds1 = p (1 - p1), dp/ds2 = p (1 - p2), hence
//   dBCE/ds1 = (p - y) (1 - p1) / (1 - p),  dBCE/ds2 = (p - y) (1 - p2) / (1 - p),
// with the ratios (1 - p_i) / (1 - p) in [0, 1] computed as exp(log(1 - p_i) - log(1 - p)).
// Writes dL/ds into `dlogits` (2 x B) and returns L. Terms with coefficient 0 are skipped.
template <class T>
T esmm_loss(ConstMatrixRef<T> logits, const Targets<T>& y, T ctr_weight, T ctcvr_weight,
            MatrixRef<T> dlogits);

// ESMM (Ma et al. 2018, "Entire Space Multi-Task Model: An Effective Approach for Estimating
// Post-Click Conversion Rate"): x0 is the concatenation of the fields' embeddings; a CTR tower
// and a CVR tower (ReLU MLPs, then linear to one logit) both read x0. Outputs: row 0 the CTR
// logit s1, row 1 the CVR logit s2 (pCVR = sigmoid(s2) on every impression, clicked or not).
// Trained only through pCTR and pCTCVR = pCTR pCVR (esmm_loss), so the CVR tower learns on the
// entire impression space. Targets: row 0 click, row 1 click AND conversion; masks say which
// exist (normally all). Parameter names: "embedding", "ctr.<i>.*", "ctr_head.*", "cvr.<i>.*",
// "cvr_head.*". See Network for memory and thread safety.
template <class T>
class Esmm final : public Network<T> {
 public:
  // Initialised as by reset(seed). Throws std::invalid_argument on a bad config.
  Esmm(const EsmmConfig& config, std::uint64_t seed);

  const EsmmConfig& config() const { return config_; }
  double forward_flops_per_example() const override;
  T& output_bias(int output) override {
    return (output == 0 ? ctr_head_ : cvr_head_).bias().value(0, 0);
  }

 private:
  void forward(const IndexMatrix& x, MatrixRef<T> logits) override;
  T loss(ConstMatrixRef<T> logits, const Targets<T>& y, MatrixRef<T> dlogits) override;
  void backward(const IndexMatrix& x, ConstMatrixRef<T> dlogits) override;

  EsmmConfig config_;
  int width_;  // D
  EmbeddingTable<T> embedding_;
  Mlp<T> ctr_tower_;
  Dense<T> ctr_head_;
  Mlp<T> cvr_tower_;
  Dense<T> cvr_head_;
  Buffer<T> x0_;
  Buffer<T> d_tower_;  // dL/d(tower output), one tower at a time
  Buffer<T> dx0_;
};

extern template float esmm_loss<float>(ConstMatrixRef<float>, const Targets<float>&, float, float,
                                       MatrixRef<float>);
extern template double esmm_loss<double>(ConstMatrixRef<double>, const Targets<double>&, double,
                                         double, MatrixRef<double>);
extern template class Esmm<float>;
extern template class Esmm<double>;

}  // namespace marketsim::nn
