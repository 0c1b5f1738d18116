// LatencyRecorder: wall time spent in each recommender stage, as log-spaced histograms.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

namespace marketsim {

// The timed stages of one request.
enum class Stage { kCandidates, kScoring, kExploration, kAuction, kCount };

inline constexpr std::size_t kStageCount = static_cast<std::size_t>(Stage::kCount);
inline constexpr std::array<const char*, kStageCount> kStageNames = {"candidates", "scoring",
                                                                     "exploration", "auction"};

// Histograms of per-request wall time per stage, 10 bins per decade from 10 ns to 10 ms (the last
// bin holds everything slower), merged
// across replications for quantiles. Wall-clock figures: not reproducible, reported under /timing
// only. The world times one request in `sample_every` (chosen by count, not by clock).
class LatencyRecorder {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kBinsPerDecade = 10;
  static constexpr int kBins = 6 * kBinsPerDecade + 1;  // 1e-8 s .. 1e-2 s, last bin open

  void add(Stage stage, Clock::duration elapsed);
  void merge(const LatencyRecorder& other);

  // The q-quantile (0 < q < 1) of a stage's times in seconds (bin upper edge); NaN when empty.
  double quantile(Stage stage, double q) const;
  std::uint64_t count(Stage stage) const;

 private:
  std::array<std::array<std::uint64_t, kBins>, kStageCount> bins_{};
};

}  // namespace marketsim
