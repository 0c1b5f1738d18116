// Histogram: fixed-size weighted counts on caller-defined bins, for distribution-shift monitors.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace marketsim {

// Weighted counts on `size()` ordered bins whose meaning the caller defines (e.g. predicted-CTR
// deciles fixed on a reference window); feed two of them to population_stability_index or
// ks_statistic. add() is O(1) and allocation-free. Copyable; not thread-safe.
//   Histogram h(3);
//   h.add(2);
//   h.add(0, 0.5);  // counts() == {0.5, 0, 1}
class Histogram {
 public:
  // `bins` >= 1 (std::invalid_argument otherwise); all counts start at 0.
  explicit Histogram(std::size_t bins);

  // Adds `weight` (finite, >= 0; std::invalid_argument otherwise) to bin `index` (< size();
  // std::out_of_range otherwise).
  void add(std::size_t index, double weight = 1.0);

  // The counts, bin by bin; valid until the next clear() or the histogram's destruction.
  std::span<const double> counts() const { return counts_; }

  // Sum of the counts.
  double total() const;

  std::size_t size() const { return counts_.size(); }

  // Sets every count to 0, keeping the bins.
  void clear();

 private:
  std::vector<double> counts_;
};

}  // namespace marketsim
