// Recorder: accumulates one replication's metrics in totals and fixed time windows.
#pragma once

#include <array>
#include <vector>

#include "sim/core/sim_time.h"
#include "sim/core/window_index.h"
#include "sim/world/metrics.h"

namespace marketsim {

// End time of each recording window, in hours, for windows of `width` up to `horizon`.
std::vector<double> window_ends_hours(SimTime width, SimTime horizon);

// Totals and per-window sums of every Metric for one replication. Windows are
// [i * width, (i + 1) * width); the last one ends at the horizon.
class Recorder {
 public:
  Recorder(SimTime width, SimTime horizon);

  void add(Metric metric, SimTime time, double amount) {
    const auto m = static_cast<std::size_t>(metric);
    totals_[m] += amount;
    windows_[window_.of(time)][m] += amount;
  }

  double total(Metric metric) const { return totals_[static_cast<std::size_t>(metric)]; }
  std::size_t window_count() const { return windows_.size(); }

  // The per-window sums of `metric`, in window order.
  std::vector<double> series(Metric metric) const;

  // End time of each window, in hours.
  std::vector<double> window_end_hours() const;

 private:
  WindowIndex window_;
  SimTime horizon_;
  std::array<double, kMetricCount> totals_{};
  std::vector<std::array<double, kMetricCount>> windows_;
};

}  // namespace marketsim
