// DcnV2: embeddings, cross stack, deep MLP and output layer, forward and backward.
#include "models/nn/dcn_v2.h"

#include <stdexcept>
#include <string>

namespace marketsim::nn {

namespace {

int checked_width(const DcnV2Config& c) {
  if (c.fields < 1 || c.embedding_dim < 1)
    throw std::invalid_argument("dcn_v2: fields and embedding_dim must be >= 1");
  if (c.cross_layers < 0) throw std::invalid_argument("dcn_v2: cross_layers must be >= 0");
  return c.fields * c.embedding_dim;
}

}  // namespace

StateSize state_size(const DcnV2Config& config) {
  const int width = checked_width(config);
  StateSize size;
  size.per_bucket = config.embedding_dim;
  for (int l = 0; l < config.cross_layers; ++l) size.add_dense(width, width);
  const int deep = size.add_mlp(width, config.deep_units);
  const bool parallel = config.parallel && !config.deep_units.empty();
  size.add_dense(parallel ? width + deep : deep, 1);
  return size;
}

template <class T>
DcnV2<T>::DcnV2(const DcnV2Config& config, std::uint64_t seed)
    : Network<T>(config.fields, config.buckets, Vector<T>::Ones(1), config.optimizer),
      config_(config),
      parallel_(config.parallel && !config.deep_units.empty()),
      width_(checked_width(config)),
      embedding_("embedding", config.buckets, config.embedding_dim, config.embedding_init_sd),
      deep_("deep", width_, config.deep_units),
      output_("output", parallel_ ? width_ + deep_.outputs() : deep_.outputs(), 1,
              Activation::kLinear) {
  cross_.reserve(static_cast<std::size_t>(config.cross_layers));
  for (int l = 0; l < config.cross_layers; ++l)
    cross_.emplace_back("cross" + std::to_string(l), width_);
  this->add(embedding_);
  for (CrossLayer<T>& layer : cross_) {
    this->add(layer.linear().weight());
    this->add(layer.linear().bias());
  }
  std::vector<Parameter<T>*> deep;
  deep_.collect(deep);
  for (Parameter<T>* p : deep) this->add(*p);
  this->add(output_.weight());
  this->add(output_.bias());
  this->reset(seed);
}

template <class T>
double DcnV2<T>::forward_flops_per_example() const {
  double flops = deep_.flops_per_example() + 2.0 * output_.inputs();
  for (const CrossLayer<T>& layer : cross_) flops += layer.flops_per_example();
  return flops;
}

template <class T>
ConstMatrixMap<T> DcnV2<T>::cross_input(int l) const {
  return l == 0 ? x0_.view() : cross_[l - 1].output();
}

template <class T>
ConstMatrixRef<T> DcnV2<T>::top() const {
  if (parallel_) return concat_.view();
  return deep_.output(cross_input(config_.cross_layers));
}

template <class T>
void DcnV2<T>::forward(const IndexMatrix& x, MatrixRef<T> logits) {
  const Eigen::Index batch = x.cols();
  embedding_.gather(x, x0_.resize(width_, batch));
  const ConstMatrixRef<T> x0 = x0_.view();
  for (int l = 0; l < config_.cross_layers; ++l) cross_[l].forward(x0, cross_input(l));
  const ConstMatrixMap<T> cross_out = cross_input(config_.cross_layers);
  if (parallel_) {
    const ConstMatrixRef<T> deep_out = deep_.forward(x0);
    MatrixMap<T> concat = concat_.resize(output_.inputs(), batch);
    concat.topRows(x0.rows()) = cross_out;
    concat.bottomRows(deep_out.rows()) = deep_out;
  } else {
    deep_.forward(cross_out);
  }
  logits = output_.forward(top());
}

template <class T>
void DcnV2<T>::backward(const IndexMatrix& x, ConstMatrixRef<T> dlogits) {
  const Eigen::Index batch = x.cols();
  const ConstMatrixRef<T> x0 = x0_.view();
  output_.delta() = dlogits;
  output_.backward(top());
  MatrixMap<T> d_top = d_top_.resize(output_.inputs(), batch);
  output_.backward_input(d_top, false);
  MatrixMap<T> dx0 = dx0_.resize(width_, batch);
  // g = dL/dx_L, then walked down the cross stack to dL/dx_0 along the x_l path.
  MatrixMap<T> g = d_cross_.resize(width_, batch);
  if (parallel_) {
    g = d_top.topRows(width_);
    deep_.backward(x0, d_top.bottomRows(deep_.outputs()), dx0, false);
  } else {
    deep_.backward(cross_input(config_.cross_layers), d_top, g, false);
    dx0.setZero();
  }
  for (int l = config_.cross_layers - 1; l >= 0; --l)
    cross_[l].backward(x0, cross_input(l), g, dx0);
  dx0 += g;
  embedding_.accumulate_gradient(x, dx0);
}

template class DcnV2<float>;
template class DcnV2<double>;

}  // namespace marketsim::nn
