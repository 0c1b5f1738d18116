// BinnedAuc: logit histogram with exact edge tables, Mann-Whitney sum over bins.
#include "analysis/metrics/binned_auc.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace marketsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// edges[k] is the lower edge of bin k for k in [1, kBins); edges[0] = -inf and edges[kBins] = +inf
// are sentinels, so every prediction in [0, 1] lies in exactly one [edges[k], edges[k + 1]).
using EdgeTable = std::array<double, BinnedAuc::kBins + 1>;

const EdgeTable& edges() {
  static const EdgeTable table = [] {
    EdgeTable e{};
    e.front() = -kInfinity;
    e.back() = kInfinity;
    for (int k = 1; k < BinnedAuc::kBins; ++k) {
      const double logit = BinnedAuc::kLogitMin + k * BinnedAuc::kBinWidth;
      e[k] = 1.0 / (1.0 + std::exp(-logit));
    }
    return e;
  }();
  return table;
}

}  // namespace

int BinnedAuc::bin_of(double prediction) {
  // Guess from the logit (+-inf at 0 and 1), then settle against the table: the guess is at most
  // a bin off, so each loop runs at most once or twice.
  const double logit = std::log(prediction / (1.0 - prediction));
  int bin = static_cast<int>(
      std::clamp(std::floor((logit - kLogitMin) / kBinWidth), 0.0, static_cast<double>(kBins - 1)));
  const EdgeTable& e = edges();
  while (prediction < e[bin]) --bin;
  while (prediction >= e[bin + 1]) ++bin;
  return bin;
}

double BinnedAuc::lower_edge(int bin) {
  if (bin < 0 || bin >= kBins) {
    throw std::out_of_range("BinnedAuc::lower_edge: no bin " + std::to_string(bin));
  }
  return bin == 0 ? 0.0 : edges()[bin];
}

void BinnedAuc::add(double prediction, bool label) {
  if (!(prediction >= 0.0 && prediction <= 1.0)) {
    throw std::invalid_argument("BinnedAuc::add: prediction outside [0, 1]: " +
                                std::to_string(prediction));
  }
  if (counts_.empty()) counts_.assign(2 * kBins, 0);
  ++counts_[2 * bin_of(prediction) + (label ? 1 : 0)];
}

void BinnedAuc::merge(const BinnedAuc& other) {
  if (other.counts_.empty()) return;
  if (counts_.empty()) counts_.assign(2 * kBins, 0);
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
}

BinnedAuc::PairCounts BinnedAuc::pair_counts() const {
  PairCounts c;
  for (std::size_t k = 0; k < counts_.size() / 2; ++k) {
    const auto negatives = static_cast<double>(counts_[2 * k]);
    const auto positives = static_cast<double>(counts_[2 * k + 1]);
    c.won += positives * (c.negatives + 0.5 * negatives);
    c.tied += positives * negatives;
    c.positives += positives;
    c.negatives += negatives;
  }
  return c;
}

double BinnedAuc::auc() const {
  const PairCounts c = pair_counts();
  if (c.positives == 0.0 || c.negatives == 0.0) return kNaN;
  return c.won / (c.positives * c.negatives);
}

double BinnedAuc::max_error() const {
  const PairCounts c = pair_counts();
  if (c.positives == 0.0 || c.negatives == 0.0) return kNaN;
  return 0.5 * c.tied / (c.positives * c.negatives);
}

}  // namespace marketsim
