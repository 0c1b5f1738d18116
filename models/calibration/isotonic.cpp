#include "models/calibration/isotonic.h"

#include <algorithm>
#include <numeric>

namespace marketsim {

double IsotonicCalibration::do_apply(double p) const {
  if (blocks_.empty()) return p;
  if (p <= blocks_.front().hi) return blocks_.front().rate;
  if (p >= blocks_.back().lo) return blocks_.back().rate;
  // The first block whose range ends at or above p.
  const auto it = std::lower_bound(blocks_.begin(), blocks_.end(), p,
                                   [](const Block& b, double x) { return b.hi < x; });
  if (p >= it->lo) return it->rate;
  const Block& prev = *(it - 1);
  return prev.rate + (it->rate - prev.rate) * (p - prev.hi) / (it->lo - prev.hi);
}

bool IsotonicCalibration::do_fit(std::span<const double> predictions,
                                 std::span<const std::uint8_t> labels) {
  const auto positives = std::count_if(labels.begin(), labels.end(), [](auto y) { return y; });
  if (positives == 0 || positives == static_cast<std::ptrdiff_t>(labels.size())) return false;
  std::vector<std::size_t> order(predictions.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return predictions[a] < predictions[b]; });
  std::vector<Block> blocks;
  for (std::size_t k = 0; k < order.size();) {
    // Tied predictions form one block before any pooling: pooled one by one, the first of a tie
    // could merge with the block below and drag it along when the rest of the tie arrives.
    const double p = predictions[order[k]];
    Block tie{p, p, 0, 0};
    for (; k < order.size() && predictions[order[k]] == p; ++k) {
      tie.rate += labels[order[k]] ? 1.0 : 0.0;
      tie.weight += 1;
    }
    tie.rate /= tie.weight;
    blocks.push_back(tie);
    while (blocks.size() > 1 && blocks[blocks.size() - 2].rate >= blocks.back().rate) {
      const Block top = blocks.back();
      blocks.pop_back();
      Block& b = blocks.back();
      b.rate = (b.rate * b.weight + top.rate * top.weight) / (b.weight + top.weight);
      b.weight += top.weight;
      b.hi = top.hi;
    }
  }
  blocks_ = std::move(blocks);
  return true;
}

void register_isotonic(CalibratorRegistry& registry) {
  registry.add({"isotonic",
                "isotonic regression (pool-adjacent-violators) of labels on predictions over "
                "the window, interpolated linearly between blocks",
                {}},
               [](const ParamValues&) { return std::make_unique<IsotonicCalibration>(); });
}

}  // namespace marketsim
