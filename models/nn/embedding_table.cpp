// EmbeddingTable: gather of field vectors and deduplicated scatter of their gradients.
#include "models/nn/embedding_table.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace marketsim::nn {

template <class T>
EmbeddingTable<T>::EmbeddingTable(std::string name, std::size_t buckets, int dim, double init_sd)
    : name_(std::move(name)), dim_(dim), init_sd_(init_sd) {
  if (buckets < 1 || buckets > std::numeric_limits<std::int32_t>::max())
    throw std::invalid_argument("nn: embedding buckets must be in [1, 2^31)");
  if (dim < 1) throw std::invalid_argument("nn: embedding dim must be >= 1");
  if (!(init_sd >= 0)) throw std::invalid_argument("nn: embedding init sd must be >= 0");
  value.setZero(dim, static_cast<Eigen::Index>(buckets));
  slot_.assign(buckets, -1);
}

template <class T>
void EmbeddingTable<T>::gather(const IndexMatrix& x, MatrixRef<T> x0) const {
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    T* out = &x0(0, j);
    for (Eigen::Index f = 0; f < x.rows(); ++f, out += dim_)
      std::copy_n(value.col(x(f, j)).data(), dim_, out);
  }
}

template <class T>
void EmbeddingTable<T>::zero_gradient() {
  for (std::uint32_t bucket : touched_) slot_[bucket] = -1;
  touched_.clear();
}

template <class T>
void EmbeddingTable<T>::accumulate_gradient(const IndexMatrix& x, ConstMatrixRef<T> dx0) {
  // At most this many buckets end up touched: size the gradient so that no column moves below.
  const auto most = static_cast<Eigen::Index>(
      std::min<std::size_t>(touched_.size() + static_cast<std::size_t>(x.size()), slot_.size()));
  if (gradient_.cols() < most) gradient_.conservativeResize(dim_, most);
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    for (Eigen::Index f = 0; f < x.rows(); ++f) {
      const std::uint32_t bucket = x(f, j);
      const auto source = dx0.col(j).segment(f * dim_, dim_);
      std::int32_t& slot = slot_[bucket];
      if (slot < 0) {
        slot = static_cast<std::int32_t>(touched_.size());
        touched_.push_back(bucket);
        gradient_.col(slot) = source;
      } else {
        gradient_.col(slot) += source;
      }
    }
  }
}

template class EmbeddingTable<float>;
template class EmbeddingTable<double>;

}  // namespace marketsim::nn
