// TopK: partial selection with a total order on (score, tie, id).
#include "policies/candidates/top_k.h"

#include <algorithm>
#include <stdexcept>

namespace marketsim {

TopK::TopK(std::size_t capacity, int k) : k_(k) {
  if (k < 1) throw std::invalid_argument("candidate generator: k must be at least 1");
  items_.reserve(capacity);
}

void TopK::append_best(std::vector<std::uint32_t>& out) {
  const auto keep = std::min<std::size_t>(items_.size(), static_cast<std::size_t>(k_));
  std::nth_element(items_.begin(), items_.begin() + keep, items_.end(), ranks_before);
  for (std::size_t i = 0; i < keep; ++i) out.push_back(items_[i].id);
}

std::span<const ScoredOffer> TopK::sorted() {
  std::sort(items_.begin(), items_.end(), ranks_before);
  return items_;
}

ParamSpec k_param() {
  return ParamSpec::integer("k", 20, 1, 1e6,
                            "number of ad candidates (the partner's eligible first-party offers "
                            "come on top)");
}

}  // namespace marketsim
