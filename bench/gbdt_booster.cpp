// Training throughput and per-call prediction cost of XgboostBooster: prints one JSON object.
// Usage: marketsim_bench_gbdt [TRAIN_ROWS]   (default 100 000; 10 features, 3 of them categorical)
#include <time.h>

#include <algorithm>
#include <array>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

#include "models/gbdt/xgboost_booster.h"
#include "sim/core/rng.h"

namespace {

using namespace marketsim;

constexpr std::size_t kFeatures = 10;
constexpr std::array<std::size_t, 3> kCategorical = {0, 1, 2};
constexpr std::size_t kPredictRows = 20;
constexpr int kCallsPerRepeat = 4000;
constexpr int kRepeats = 5;

struct Data {
  std::vector<float> rows;
  std::vector<float> labels;
};

// Codes in [0, 12) in the categorical columns, U(0, 1) elsewhere; the label depends on the first
// code and on the product of two numbers.
Data make_data(std::size_t n, RngStream& rng) {
  boost::random::uniform_int_distribution<int> code(0, 11);
  boost::random::uniform_real_distribution<float> number(0.0f, 1.0f);
  Data d;
  d.rows.resize(n * kFeatures);
  for (std::size_t i = 0; i < n; ++i) {
    float* row = &d.rows[i * kFeatures];
    for (std::size_t j = 0; j < kFeatures; ++j)
      row[j] = j < kCategorical.size() ? static_cast<float>(code(rng)) : number(rng);
    const double logit = (static_cast<int>(row[0]) % 3 == 0 ? 1.0 : -1.0) + 2.0 * row[3] * row[4];
    d.labels.push_back(rng.uniform() < 1.0 / (1.0 + std::exp(-logit)) ? 1.0f : 0.0f);
  }
  return d;
}

// CPU time of this thread in seconds: unlike wall time, not inflated by other processes.
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  const std::size_t train_rows = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100'000;
  RngStream rng(ReplicationKey{1, 0}, "bench.gbdt", 0);
  const Data train = make_data(train_rows, rng);
  const Data query = make_data(kPredictRows, rng);
  const BoosterParams params;
  XgboostBooster booster(kFeatures, kCategorical, params);

  const auto start = Clock::now();
  booster.fit(train.rows, train_rows, train.labels, {}, false);
  const double train_s = std::chrono::duration<double>(Clock::now() - start).count();

  // The fastest of kRepeats runs of kCallsPerRepeat calls, in wall and in CPU time per call.
  std::vector<double> out(kPredictRows);
  double wall_us = std::numeric_limits<double>::infinity(), cpu_us = wall_us, sink = 0;
  for (int repeat = 0; repeat < kRepeats; ++repeat) {
    const auto wall_start = Clock::now();
    const double cpu_start = thread_cpu_seconds();
    for (int call = 0; call < kCallsPerRepeat; ++call) {
      booster.predict(query.rows, kPredictRows, out);
      sink += out[0];
    }
    cpu_us = std::min(cpu_us, (thread_cpu_seconds() - cpu_start) * 1e6 / kCallsPerRepeat);
    wall_us = std::min(
        wall_us, std::chrono::duration<double, std::micro>(Clock::now() - wall_start).count() /
                     kCallsPerRepeat);
  }
  std::printf(
      "{\"bench\": \"gbdt\", \"train_rows\": %zu, \"features\": %zu, \"rounds\": %d, "
      "\"max_depth\": %d, \"train_s\": %.3f, \"train_rows_per_s\": %.0f, \"predict_rows\": %zu, "
      "\"predict_us_per_call\": %.2f, \"predict_cpu_us_per_call\": %.2f, \"p_first_row\": %.4f}\n",
      train_rows, kFeatures, params.rounds, params.max_depth, train_s,
      static_cast<double>(train_rows) / train_s, kPredictRows, wall_us, cpu_us,
      sink / (kRepeats * kCallsPerRepeat));
}
