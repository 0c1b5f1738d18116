// BinnedAuc: streaming, mergeable ROC AUC from a fixed histogram of logit(prediction).
#pragma once

#include <cstdint>
#include <vector>

namespace marketsim {

// Accumulates (prediction, label) pairs in kBins bins of equal width in logit(prediction) on
// [kLogitMin, kLogitMax], one count of positives and one of negatives per bin, and computes the
// Mann-Whitney AUC from them with every positive-negative pair that shares a bin counted one half.
//
// Bins: bin k holds predictions in [edge_k, edge_{k+1}) with edge_k = sigmoid(kLogitMin + k w),
// w = kBinWidth = 24 / 2048 = 0.01171875 logits (about 1.2% relative change in odds), except that
// bin 0 extends down to 0 (every prediction below sigmoid(-16) ~= 1.1e-7) and the last bin up to 1
// inclusive (every prediction at or above sigmoid(8) ~= 0.99966). The edges are a fixed sorted
// table compared against directly, so binning is exactly monotone in the prediction.
//
// Resolution: pairs in different bins are ordered as by exact_auc on the predictions, so
//   |auc() - exact_auc(predictions, labels)| <= max_error()
//     = (1/2) (sum_k positives_k negatives_k) / (positives negatives),
// half the share of positive-negative pairs that share a bin; it is 0, and the two are equal,
// when no positive shares a bin with a negative. The bound is attained when, in every bin holding
// both classes, all positives lie strictly above all negatives (or, in every such bin, below).
//
// Memory: the two count arrays (2 x 2048 uint64, 32 KiB) are allocated on the first add() or
// merge() of a non-empty histogram, so an empty accumulator costs only its own few bytes; add() is
// O(1) and allocation-free afterwards. auc() and max_error() are O(kBins). Copyable; not
// thread-safe.
class BinnedAuc {
 public:
  static constexpr int kBins = 2048;
  static constexpr double kLogitMin = -16.0;
  static constexpr double kLogitMax = 8.0;
  static constexpr double kBinWidth = (kLogitMax - kLogitMin) / kBins;

  // The bin of `prediction` in [0, 1] (unchecked: NaN is undefined behaviour).
  static int bin_of(double prediction);

  // The lowest prediction of bin `bin` in [0, kBins): 0 for bin 0, else sigmoid(kLogitMin + bin
  // w). Throws std::out_of_range for another bin.
  static double lower_edge(int bin);

  // Counts one example. Throws std::invalid_argument, counting nothing, unless prediction is in
  // [0, 1].
  void add(double prediction, bool label);

  // Adds the counts of `other` (self-merge doubles every count).
  void merge(const BinnedAuc& other);

  // The binned AUC, with positive-negative pairs sharing a bin counted one half; NaN when either
  // class is empty.
  double auc() const;

  // The bound on |auc() - exact AUC| above; NaN when auc() is.
  double max_error() const;

 private:
  // Sums over bins: pairs won by positives (ties one half), tied pairs, positives and negatives.
  struct PairCounts {
    double won = 0.0;
    double tied = 0.0;
    double positives = 0.0;
    double negatives = 0.0;
  };
  PairCounts pair_counts() const;

  std::vector<std::uint64_t> counts_;  // empty until used; then [2k] negatives, [2k + 1] positives
};

}  // namespace marketsim
