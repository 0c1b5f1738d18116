// Parameter initialisation from keyed random streams.
#include "models/nn/parameter.h"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>

namespace marketsim::nn {

template <class T>
void Initializer::apply(Matrix<T>& value, RngStream& rng) const {
  switch (kind) {
    case Kind::kZero:
      value.setZero();
      return;
    case Kind::kGlorotUniform: {
      const T limit = static_cast<T>(std::sqrt(6.0 / (fan_in + fan_out)));
      boost::random::uniform_real_distribution<T> draw(-limit, limit);
      for (Eigen::Index i = 0; i < value.size(); ++i) value.data()[i] = draw(rng);
      return;
    }
    case Kind::kNormal: {
      boost::random::normal_distribution<T> draw(T(0), static_cast<T>(sd));
      for (Eigen::Index i = 0; i < value.size(); ++i) value.data()[i] = draw(rng);
      return;
    }
  }
}

template void Initializer::apply<float>(Matrix<float>&, RngStream&) const;
template void Initializer::apply<double>(Matrix<double>&, RngStream&) const;

}  // namespace marketsim::nn
