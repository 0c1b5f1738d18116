// Throughput of the marketsim::nn networks in float on one thread, against Eigen's own float GEMM:
// prints one JSON object per line.
// Usage: marketsim_bench_nn [SECONDS_PER_FIGURE]   (default 1)
#include <array>
#include <boost/random/uniform_int_distribution.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "models/nn/dcn_v2.h"
#include "models/nn/esmm.h"
#include "models/nn/mmoe.h"
#include "sim/core/rng.h"

namespace {

using namespace marketsim;
using namespace marketsim::nn;

double g_seconds = 1.0;

// Calls of `body` per second: one warm-up call, then calls until g_seconds have passed.
template <class Body>
double calls_per_second(Body&& body) {
  body();
  long calls = 0;
  const auto start = std::chrono::steady_clock::now();
  double elapsed = 0;
  do {
    body();
    ++calls;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } while (elapsed < g_seconds);
  return static_cast<double>(calls) / elapsed;
}

// Sixteen batches of uniformly random buckets, so that scoring does not reuse one batch's rows.
std::vector<IndexMatrix> batches(const Network<float>& net, int size) {
  RngStream rng(ReplicationKey{1, 0}, "bench.nn", static_cast<std::uint32_t>(size));
  boost::random::uniform_int_distribution<std::uint32_t> bucket(
      0, static_cast<std::uint32_t>(net.buckets() - 1));
  std::vector<IndexMatrix> out(16, IndexMatrix(net.fields(), size));
  for (IndexMatrix& x : out)
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = bucket(rng);
  return out;
}

Targets<float> targets(int tasks, int size) {
  Targets<float> y{Matrix<float>::Zero(tasks, size), Matrix<float>::Ones(tasks, size),
                   RowVector<float>::Ones(size)};
  for (int j = 0; j < size; j += 7) y.label.col(j).setOnes();
  return y;
}

void bench_network(const std::string& model, Network<float>& net, int batch) {
  const std::vector<IndexMatrix> xs = batches(net, batch);
  const Targets<float> y = targets(net.outputs(), batch);
  Matrix<float> logits;
  std::size_t next = 0;
  const double predict = calls_per_second([&] { net.predict_logits(xs[next++ % 16], logits); });
  const double train = calls_per_second([&] { net.train_step(xs[next++ % 16], y); });
  const double flops = net.forward_flops_per_example();
  std::printf(
      "{\"bench\": \"nn\", \"model\": \"%s\", \"batch\": %d, \"forward_flops_per_example\": %.0f, "
      "\"predict_examples_per_s\": %.0f, \"predict_gflops\": %.2f, "
      "\"train_examples_per_s\": %.0f}\n",
      model.c_str(), batch, flops, predict * batch, predict * batch * flops * 1e-9, train * batch);
}

// GFLOP/s of C (m x n) = A (m x k) B (k x n) for each of `shapes`, run back to back.
void bench_gemm(const std::string& name, const std::vector<std::array<int, 2>>& shapes, int n) {
  std::vector<Matrix<float>> a, b, c;
  double flops = 0;
  for (const auto& [m, k] : shapes) {
    a.push_back(Matrix<float>::Random(m, k));
    b.push_back(Matrix<float>::Random(k, n));
    c.push_back(Matrix<float>(m, n));
    flops += 2.0 * m * k * n;
  }
  const double rate = calls_per_second([&] {
    for (std::size_t i = 0; i < a.size(); ++i) c[i].noalias() = a[i] * b[i];
  });
  std::printf("{\"bench\": \"eigen_gemm\", \"shapes\": \"%s\", \"n\": %d, \"gflops\": %.2f}\n",
              name.c_str(), n, rate * flops * 1e-9);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) g_seconds = std::atof(argv[1]);
  // The reference DCN-V2: 12 fields x 8-dim embeddings, 3 cross layers, deep 2 x 128, stacked.
  DcnV2<float> dcn(DcnV2Config{}, 1);
  Mmoe<float> mmoe(MmoeConfig{}, 1);
  Esmm<float> esmm(EsmmConfig{}, 1);
  for (int batch : {20, 1024}) {
    bench_network("dcn_v2_reference", dcn, batch);
    bench_network("mmoe_default", mmoe, batch);
    bench_network("esmm_default", esmm, batch);
  }
  // The reference DCN-V2's products (3 cross 96 x 96, deep 128 x 96 and 128 x 128, output
  // 1 x 128), then one large square product, as Eigen alone computes them.
  const std::vector<std::array<int, 2>> dcn_shapes = {{96, 96},  {96, 96},   {96, 96},
                                                      {128, 96}, {128, 128}, {1, 128}};
  for (int n : {20, 1024}) bench_gemm("dcn_v2_reference_layers", dcn_shapes, n);
  bench_gemm("square_1024", {{1024, 1024}}, 1024);
  return 0;
}
