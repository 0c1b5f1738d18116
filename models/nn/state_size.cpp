#include "models/nn/state_size.h"

#include <cstdint>

namespace marketsim::nn {

void StateSize::add_dense(int inputs, int outputs) {
  dense += static_cast<double>(inputs) * outputs + outputs;
  flops += 2.0 * inputs * outputs;
}

int StateSize::add_mlp(int inputs, const std::vector<int>& units) {
  int width = inputs;
  for (int u : units) {
    add_dense(width, u);
    width = u;
  }
  return width;
}

double StateSize::bytes(std::size_t buckets, OptimizerKind optimizer,
                        std::size_t scalar_bytes) const {
  const double moments = optimizer_moments(optimizer);
  const auto scalar = static_cast<double>(scalar_bytes);
  const double per_bucket_bytes = per_bucket * scalar * (1 + moments) + sizeof(std::int32_t);
  return dense * scalar * (2 + moments) + static_cast<double>(buckets) * per_bucket_bytes;
}

}  // namespace marketsim::nn
