// Histogram: a checked vector of weighted counts.
#include "analysis/metrics/histogram.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace marketsim {

Histogram::Histogram(std::size_t bins) : counts_(bins, 0.0) {
  if (bins == 0) throw std::invalid_argument("Histogram: needs at least one bin");
}

void Histogram::add(std::size_t index, double weight) {
  if (index >= counts_.size()) {
    throw std::out_of_range("Histogram::add: no bin " + std::to_string(index) + " of " +
                            std::to_string(counts_.size()));
  }
  if (!(weight >= 0.0 && std::isfinite(weight))) {
    throw std::invalid_argument("Histogram::add: weight must be finite and >= 0, got " +
                                std::to_string(weight));
  }
  counts_[index] += weight;
}

double Histogram::total() const { return std::accumulate(counts_.begin(), counts_.end(), 0.0); }

void Histogram::clear() { std::fill(counts_.begin(), counts_.end(), 0.0); }

}  // namespace marketsim
