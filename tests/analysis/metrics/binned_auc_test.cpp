// BinnedAuc: exact monotone binning, agreement with the exact AUC within the stated bound.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "analysis/metrics/binary_metrics.h"
#include "analysis/metrics/binned_auc.h"
#include "sim/core/rng.h"

using namespace marketsim;

namespace {

constexpr int kBins = BinnedAuc::kBins;

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// A sample fed both to a BinnedAuc and, kept whole, to exact_auc.
struct Sample {
  std::vector<double> predictions;
  std::vector<std::uint8_t> labels;
  BinnedAuc binned;

  void add(double prediction, bool label) {
    predictions.push_back(prediction);
    labels.push_back(label ? 1 : 0);
    binned.add(prediction, label);
  }
  double exact() const { return exact_auc(predictions, labels); }
};

}  // namespace

TEST_CASE("AUC bins are a strictly increasing edge table in probability", "[metrics]") {
  CHECK(BinnedAuc::kBinWidth == 0.01171875);  // 24 / 2048, exact in binary
  CHECK(BinnedAuc::lower_edge(0) == 0.0);
  CHECK(BinnedAuc::lower_edge(1) == Approx(sigmoid(-16.0 + 0.01171875)).epsilon(1e-14));
  CHECK(BinnedAuc::lower_edge(kBins - 1) == Approx(sigmoid(8.0 - 0.01171875)).epsilon(1e-14));
  for (int k = 1; k < kBins; ++k) {
    const double edge = BinnedAuc::lower_edge(k);
    REQUIRE(edge > BinnedAuc::lower_edge(k - 1));
    REQUIRE(BinnedAuc::bin_of(edge) == k);
    REQUIRE(BinnedAuc::bin_of(std::nextafter(edge, 0.0)) == k - 1);
  }
  CHECK(BinnedAuc::bin_of(0.0) == 0);
  CHECK(BinnedAuc::bin_of(1e-300) == 0);
  CHECK(BinnedAuc::bin_of(0.99999) == kBins - 1);
  CHECK(BinnedAuc::bin_of(1.0) == kBins - 1);
  CHECK_THROWS_AS(BinnedAuc::lower_edge(kBins), std::out_of_range);
  CHECK_THROWS_AS(BinnedAuc::lower_edge(-1), std::out_of_range);
}

TEST_CASE("binned AUC equals the exact AUC when every prediction has its own bin", "[metrics]") {
  RngStream rng({11, 0}, "metrics_test", 1);
  Sample s;
  // One prediction in every third bin (lower edges, so the bin is certain), labels at random.
  for (int k = 0; k < kBins; k += 3) s.add(BinnedAuc::lower_edge(k), rng.uniform() < 0.5);
  CHECK(s.binned.max_error() == 0.0);
  CHECK(s.binned.auc() == s.exact());
}

TEST_CASE("binned AUC attains its bound when a shared bin is ordered", "[metrics]") {
  // Bin 1000: positives at its top, negatives at its bottom. Exact AUC 1; binned counts the 2 x 3
  // shared pairs one half: 0.5; bound = (1/2) (2 x 3) / (2 x 3) = 0.5.
  Sample s;
  const double bottom = BinnedAuc::lower_edge(1000);
  const double top = std::nextafter(BinnedAuc::lower_edge(1001), 0.0);
  for (int i = 0; i < 2; ++i) s.add(top, true);
  for (int i = 0; i < 3; ++i) s.add(bottom, false);
  CHECK(s.exact() == 1.0);
  CHECK(s.binned.auc() == 0.5);
  CHECK(s.binned.max_error() == 0.5);
}

TEST_CASE("binned AUC is within its bound of the exact AUC on random data", "[metrics]") {
  RngStream rng({3, 1}, "metrics_test", 2);
  Sample s;
  // 20000 logits uniform on [-7, 1] (about 680 bins, ~30 examples each), labels drawn with the
  // prediction as probability, plus 2% of predictions beyond the table (0, 1e-9, 1) that land in
  // the end bins.
  for (int i = 0; i < 20000; ++i) {
    const double p = sigmoid(-7.0 + 8.0 * rng.uniform());
    s.add(p, rng.uniform() < p);
  }
  for (double p : {0.0, 1e-9, 1.0}) {
    for (int i = 0; i < 150; ++i) s.add(p, rng.uniform() < 0.5);
  }
  const double bound = s.binned.max_error();
  CHECK(bound > 0.0);
  CHECK(bound < 0.01);
  // The slack covers the rounding of the two quotients (counts themselves are exact).
  CHECK(std::abs(s.binned.auc() - s.exact()) <= bound + 1e-15);
}

TEST_CASE("binned AUC merges exactly and is NaN with one class", "[metrics]") {
  RngStream rng({5, 0}, "metrics_test", 3);
  BinnedAuc a, b, all;
  CHECK(std::isnan(all.auc()));
  CHECK(std::isnan(all.max_error()));
  for (int i = 0; i < 1000; ++i) {
    const double p = rng.uniform();
    const bool label = rng.uniform() < p;
    (i % 3 == 0 ? a : b).add(p, label);
    all.add(p, label);
  }
  BinnedAuc merged;
  merged.merge(BinnedAuc{});  // merging an empty histogram allocates nothing and changes nothing
  CHECK(std::isnan(merged.auc()));
  merged.merge(a);
  merged.merge(b);
  CHECK(merged.auc() == all.auc());
  CHECK(merged.max_error() == all.max_error());

  BinnedAuc positives_only;
  positives_only.add(0.3, true);
  CHECK(std::isnan(positives_only.auc()));
  CHECK_THROWS_AS(positives_only.add(-0.1, false), std::invalid_argument);
  CHECK_THROWS_AS(positives_only.add(std::nan(""), false), std::invalid_argument);
}
