#include "sim/world/latency_recorder.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace marketsim {
namespace {

constexpr double kFirstEdge = 1e-8;  // seconds

}  // namespace

void LatencyRecorder::add(Stage stage, Clock::duration elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  int bin = 0;
  if (seconds > kFirstEdge)
    bin = std::min(kBins - 1,
                   static_cast<int>(std::ceil(std::log10(seconds / kFirstEdge) * kBinsPerDecade)));
  ++bins_[static_cast<std::size_t>(stage)][static_cast<std::size_t>(bin)];
}

void LatencyRecorder::merge(const LatencyRecorder& other) {
  for (std::size_t s = 0; s < kStageCount; ++s)
    for (int b = 0; b < kBins; ++b) bins_[s][b] += other.bins_[s][b];
}

std::uint64_t LatencyRecorder::count(Stage stage) const {
  std::uint64_t n = 0;
  for (auto c : bins_[static_cast<std::size_t>(stage)]) n += c;
  return n;
}

double LatencyRecorder::quantile(Stage stage, double q) const {
  const std::uint64_t n = count(stage);
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const auto& bins = bins_[static_cast<std::size_t>(stage)];
  const double target = q * static_cast<double>(n);
  double seen = 0;
  for (int b = 0; b < kBins; ++b) {
    seen += static_cast<double>(bins[b]);
    if (seen >= target) return kFirstEdge * std::pow(10.0, static_cast<double>(b) / kBinsPerDecade);
  }
  return std::numeric_limits<double>::infinity();
}

}  // namespace marketsim
