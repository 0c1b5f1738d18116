// Distribution-shift statistics between two histograms on the same ordered bins: PSI and KS.
#pragma once

#include <span>

namespace marketsim {

// The default floor of a bin's share in population_stability_index.
inline constexpr double kPsiShareFloor = 1e-4;

// Population stability index of `actual` against `expected`, counts on the same bins:
//   PSI = sum_i (a_i - e_i) ln(a_i / e_i),
// with e_i, a_i the bins' shares of their histogram's total, each raised to at least
// `share_floor` so that a bin empty on one side adds a large but finite term (the floored shares
// need not sum to 1). 0 for identical shares, symmetric in its arguments, invariant to scaling
// either histogram. Rules of thumb: < 0.1 stable, 0.1-0.25 moderate shift, > 0.25 major shift.
// NaN when either histogram's total is 0 (so also with no bins). Throws std::invalid_argument when
// the sizes differ, a count is negative or not finite, or share_floor is not in (0, 1].
double population_stability_index(std::span<const double> expected, std::span<const double> actual,
                                  double share_floor = kPsiShareFloor);

// Two-sample Kolmogorov-Smirnov statistic on binned data: max_i |E_i - A_i| with E_i, A_i the
// cumulative shares of bins 0..i. It is the KS statistic of the samples with every value rounded
// to its bin, hence at most that of the raw samples. In [0, 1]; NaN when either histogram's total
// is 0. Throws std::invalid_argument when the sizes differ or a count is negative or not finite.
double ks_statistic(std::span<const double> expected, std::span<const double> actual);

}  // namespace marketsim
