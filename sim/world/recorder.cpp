#include "sim/world/recorder.h"

#include <algorithm>

namespace marketsim {

Recorder::Recorder(SimTime width, SimTime horizon)
    : window_(width),
      horizon_(horizon),
      windows_(static_cast<std::size_t>((horizon + width - 1) / width)) {}

std::vector<double> Recorder::series(Metric metric) const {
  std::vector<double> out;
  out.reserve(windows_.size());
  for (const auto& w : windows_) out.push_back(w[static_cast<std::size_t>(metric)]);
  return out;
}

std::vector<double> Recorder::window_end_hours() const {
  return window_ends_hours(window_.width(), horizon_);
}

std::vector<double> window_ends_hours(SimTime width, SimTime horizon) {
  std::vector<double> ends;
  for (SimTime end = width; end - width < horizon; end += width)
    ends.push_back(time_to_hours(std::min(end, horizon)));
  return ends;
}

}  // namespace marketsim
