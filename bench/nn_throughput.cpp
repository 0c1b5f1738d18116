// Throughput of the marketsim::nn networks in float on one thread, against Eigen's own float GEMM
// on the same machine: prints one JSON object per line. Rates are per CPU second, each the fastest
// of 5 runs of SECONDS_PER_RUN CPU seconds; "load" is the 1-minute load average. The reference
// DCN-V2 has the default feature columns (12 fields and 2 crosses) x 8-dim embeddings (D = 112),
// 3 cross layers and a stacked 2 x 128 deep part; its lines "dcn_vs_gemm" compare its predict
// GFLOP/s with Eigen's on the products of its layers, at batches 20 and 1024.
// Usage: marketsim_bench_nn [SECONDS_PER_RUN]   (default 0.2)
#include <array>
#include <boost/random/uniform_int_distribution.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "models/features/feature_spec.h"
#include "models/nn/dcn_v2.h"
#include "models/nn/esmm.h"
#include "models/nn/mmoe.h"
#include "sim/core/rng.h"

namespace {

using namespace marketsim;
using namespace marketsim::nn;

double g_seconds = 0.2;

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

// Prints the predict and train rates of `net` at `batch`; returns its predict GFLOP/s.
double bench_network(const std::string& model, Network<float>& net, int batch) {
  const std::vector<IndexMatrix> xs = batches(net, batch);
  const Targets<float> y = targets(net.outputs(), batch);
  Matrix<float> logits;
  std::size_t next = 0;
  const double predict =
      bench::calls_per_cpu_second([&] { net.predict_logits(xs[next++ % 16], logits); }, g_seconds);
  const double train =
      bench::calls_per_cpu_second([&] { net.train_step(xs[next++ % 16], y); }, g_seconds);
  const double flops = net.forward_flops_per_example();
  const double gflops = predict * batch * flops * 1e-9;
  std::printf(
      "{\"bench\": \"nn\", \"model\": \"%s\", \"batch\": %d, \"forward_flops_per_example\": %.0f, "
      "\"predict_examples_per_cpu_s\": %.0f, \"predict_gflops\": %.2f, "
      "\"train_examples_per_cpu_s\": %.0f, \"load\": %.2f}\n",
      model.c_str(), batch, flops, predict * batch, gflops, train * batch, bench::load_average());
  return gflops;
}

// Prints the GFLOP/s of C (m x n) = A (m x k) B (k x n) for each of `shapes`, run back to back,
// and returns it.
double bench_gemm(const std::string& name, const std::vector<std::array<int, 2>>& shapes, int n) {
  std::vector<Matrix<float>> a, b, c;
  double flops = 0;
  for (const auto& [m, k] : shapes) {
    a.push_back(Matrix<float>::Random(m, k));
    b.push_back(Matrix<float>::Random(k, n));
    c.push_back(Matrix<float>(m, n));
    flops += 2.0 * m * k * n;
  }
  const double rate = bench::calls_per_cpu_second(
      [&] {
        for (std::size_t i = 0; i < a.size(); ++i) c[i].noalias() = a[i] * b[i];
      },
      g_seconds);
  const double gflops = rate * flops * 1e-9;
  std::printf(
      "{\"bench\": \"eigen_gemm\", \"shapes\": \"%s\", \"n\": %d, \"gflops\": %.2f, "
      "\"load\": %.2f}\n",
      name.c_str(), n, gflops, bench::load_average());
  return gflops;
}

// The (rows, columns) of the weight matrices of a stacked DCN-V2: its cross layers (D x D), its
// deep layers and its output layer, in the order of its forward pass.
std::vector<std::array<int, 2>> layer_shapes(const DcnV2Config& config) {
  const int width = config.fields * config.embedding_dim;
  std::vector<std::array<int, 2>> shapes(static_cast<std::size_t>(config.cross_layers),
                                         {width, width});
  int in = width;
  for (int units : config.deep_units) {
    shapes.push_back({units, in});
    in = units;
  }
  shapes.push_back({1, in});
  return shapes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) g_seconds = std::atof(argv[1]);
  // The reference DCN-V2 (defaults otherwise): one column per default feature column.
  DcnV2Config reference;
  reference.fields =
      static_cast<int>(FeatureSpec::from(defaults_of(FeatureSpec::declare())).columns.size());
  DcnV2<float> dcn(reference, 1);
  Mmoe<float> mmoe(MmoeConfig{}, 1);
  Esmm<float> esmm(EsmmConfig{}, 1);
  const std::vector<std::array<int, 2>> shapes = layer_shapes(reference);
  for (int batch : {20, 1024}) {
    const double network = bench_network("dcn_v2_reference", dcn, batch);
    const double gemm = bench_gemm("dcn_v2_reference_layers", shapes, batch);
    std::printf(
        "{\"bench\": \"dcn_vs_gemm\", \"batch\": %d, \"width\": %d, \"dcn_predict_gflops\": %.2f, "
        "\"gemm_gflops\": %.2f, \"ratio\": %.3f, \"load\": %.2f}\n",
        batch, reference.fields * reference.embedding_dim, network, gemm, network / gemm,
        bench::load_average());
    bench_network("mmoe_default", mmoe, batch);
    bench_network("esmm_default", esmm, batch);
  }
  bench_gemm("square_1024", {{1024, 1024}}, 1024);
  return 0;
}
