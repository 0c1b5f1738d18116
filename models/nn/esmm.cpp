// Esmm: shared embeddings, CTR and CVR towers, and the CTR + CTCVR loss.
#include "models/nn/esmm.h"

#include <stdexcept>
#include <tuple>

#include "models/nn/loss.h"

namespace marketsim::nn {

namespace {

int checked_width(const EsmmConfig& c) {
  if (c.fields < 1 || c.embedding_dim < 1)
    throw std::invalid_argument("esmm: fields and embedding_dim must be >= 1");
  return c.fields * c.embedding_dim;
}

template <class T>
Vector<T> task_weights(const EsmmConfig& c) {
  Vector<T> w(2);
  w << static_cast<T>(c.ctr_weight), static_cast<T>(c.ctcvr_weight);
  return w;
}

}  // namespace

template <class T>
T esmm_loss(ConstMatrixRef<T> logits, const Targets<T>& y, T ctr_weight, T ctcvr_weight,
            MatrixRef<T> dlogits) {
  const Eigen::Index batch = logits.cols();
  const T inv_batch = T(1) / static_cast<T>(batch);
  double loss = 0;
  for (Eigen::Index j = 0; j < batch; ++j) {
    const T s1 = logits(0, j);
    const T s2 = logits(1, j);
    T d1 = 0;
    T d2 = 0;
    const T c_ctr = inv_batch * y.weight(j) * ctr_weight * y.mask(0, j);
    if (c_ctr != 0) {
      const T label = y.label(0, j);
      loss += static_cast<double>(c_ctr * (softplus(s1) - label * s1));
      d1 += c_ctr * (sigmoid(s1) - label);
    }
    const T c_ctcvr = inv_batch * y.weight(j) * ctcvr_weight * y.mask(1, j);
    if (c_ctcvr != 0) {
      const T label = y.label(1, j);
      const T log_p1 = -softplus(-s1), log_q1 = -softplus(s1);  // log p1, log(1 - p1)
      const T log_p2 = -softplus(-s2), log_q2 = -softplus(s2);
      const T log_p = log_p1 + log_p2;
      const T log_q = log_add_exp(log_q1, log_p1 + log_q2);  // log(1 - p1 p2)
      loss -= static_cast<double>(c_ctcvr * (label * log_p + (1 - label) * log_q));
      const T residual = c_ctcvr * (std::exp(log_p) - label);
      d1 += residual * std::exp(log_q1 - log_q);
      d2 += residual * std::exp(log_q2 - log_q);
    }
    dlogits(0, j) = d1;
    dlogits(1, j) = d2;
  }
  return static_cast<T>(loss);
}

StateSize state_size(const EsmmConfig& config) {
  const int width = checked_width(config);
  StateSize size;
  size.per_bucket = config.embedding_dim;
  size.add_dense(size.add_mlp(width, config.ctr_units), 1);
  size.add_dense(size.add_mlp(width, config.cvr_units), 1);
  return size;
}

template <class T>
Esmm<T>::Esmm(const EsmmConfig& config, std::uint64_t seed)
    : Network<T>(config.fields, config.buckets, task_weights<T>(config), config.optimizer),
      config_(config),
      width_(checked_width(config)),
      embedding_("embedding", config.buckets, config.embedding_dim, config.embedding_init_sd),
      ctr_tower_("ctr", width_, config.ctr_units),
      ctr_head_("ctr_head", ctr_tower_.outputs(), 1, Activation::kLinear),
      cvr_tower_("cvr", width_, config.cvr_units),
      cvr_head_("cvr_head", cvr_tower_.outputs(), 1, Activation::kLinear) {
  this->add(embedding_);
  std::vector<Parameter<T>*> towers;
  ctr_tower_.collect(towers);
  cvr_tower_.collect(towers);
  for (Parameter<T>* p : towers) this->add(*p);
  for (Dense<T>* head : {&ctr_head_, &cvr_head_}) {
    this->add(head->weight());
    this->add(head->bias());
  }
  this->reset(seed);
}

template <class T>
double Esmm<T>::forward_flops_per_example() const {
  return ctr_tower_.flops_per_example() + ctr_head_.flops_per_example() +
         cvr_tower_.flops_per_example() + cvr_head_.flops_per_example();
}

template <class T>
void Esmm<T>::forward(const IndexMatrix& x, MatrixRef<T> logits) {
  embedding_.gather(x, x0_.resize(width_, x.cols()));
  const ConstMatrixRef<T> x0 = x0_.view();
  logits.row(0) = ctr_head_.forward(ctr_tower_.forward(x0));
  logits.row(1) = cvr_head_.forward(cvr_tower_.forward(x0));
}

template <class T>
T Esmm<T>::loss(ConstMatrixRef<T> logits, const Targets<T>& y, MatrixRef<T> dlogits) {
  return esmm_loss<T>(logits, y, this->task_weights()(0), this->task_weights()(1), dlogits);
}

template <class T>
void Esmm<T>::backward(const IndexMatrix& x, ConstMatrixRef<T> dlogits) {
  const Eigen::Index batch = x.cols();
  const ConstMatrixRef<T> x0 = x0_.view();
  MatrixMap<T> dx0 = dx0_.resize(width_, batch);
  bool accumulate = false;
  for (auto [tower, head, row] :
       {std::tuple{&ctr_tower_, &ctr_head_, 0}, std::tuple{&cvr_tower_, &cvr_head_, 1}}) {
    head->delta() = dlogits.row(row);
    head->backward(tower->output(x0));
    MatrixMap<T> d = d_tower_.resize(tower->outputs(), batch);
    head->backward_input(d, false);
    tower->backward(x0, d, dx0, accumulate);
    accumulate = true;
  }
  embedding_.accumulate_gradient(x, dx0);
}

template float esmm_loss<float>(ConstMatrixRef<float>, const Targets<float>&, float, float,
                                MatrixRef<float>);
template double esmm_loss<double>(ConstMatrixRef<double>, const Targets<double>&, double, double,
                                  MatrixRef<double>);
template class Esmm<float>;
template class Esmm<double>;

}  // namespace marketsim::nn
