// What a network's configuration says it will hold and compute (StateSize) is what the built
// network holds and computes, for every architecture, optimizer and scalar type: the resource
// estimate relies on it.
#include <catch2/catch.hpp>

#include "models/nn/dcn_v2.h"
#include "models/nn/esmm.h"
#include "models/nn/factorization_machine.h"
#include "models/nn/mmoe.h"

using namespace marketsim::nn;

namespace {

constexpr std::size_t kBuckets = 37;

// The configurations' prediction against the network built from them, for every optimizer.
template <template <class> class Net, class Config>
void check_state_size(Config config) {
  for (OptimizerKind kind : {OptimizerKind::kSgd, OptimizerKind::kAdagrad, OptimizerKind::kAdam}) {
    config.optimizer.kind = kind;
    INFO("optimizer " << static_cast<int>(kind));
    const StateSize size = state_size(config);
    CHECK(size.bytes(config.buckets, kind, sizeof(float)) == Net<float>(config, 1).state_bytes());
    CHECK(size.bytes(config.buckets, kind, sizeof(double)) == Net<double>(config, 1).state_bytes());
    CHECK(size.flops == Net<float>(config, 1).forward_flops_per_example());
  }
}

}  // namespace

TEST_CASE("a network's state size from its configuration is what it holds once built",
          "[models][nn]") {
  FmConfig fm{5, 3, kBuckets, 0.01, {}};
  check_state_size<FactorizationMachine>(fm);

  DcnV2Config dcn;
  dcn.fields = 5;
  dcn.embedding_dim = 3;
  dcn.cross_layers = 2;
  dcn.deep_units = {7, 4};
  dcn.buckets = kBuckets;
  check_state_size<DcnV2>(dcn);
  dcn.parallel = true;
  check_state_size<DcnV2>(dcn);
  dcn.deep_units.clear();  // parallel without a deep part is stacked
  check_state_size<DcnV2>(dcn);
  dcn.cross_layers = 0;
  check_state_size<DcnV2>(dcn);

  MmoeConfig mmoe;
  mmoe.fields = 4;
  mmoe.embedding_dim = 2;
  mmoe.experts = 3;
  mmoe.expert_units = 5;
  mmoe.tower_units = 6;
  mmoe.buckets = kBuckets;
  check_state_size<Mmoe>(mmoe);
  mmoe.task_weights = {1, 0.5};
  check_state_size<Mmoe>(mmoe);

  EsmmConfig esmm;
  esmm.fields = 4;
  esmm.embedding_dim = 3;
  esmm.ctr_units = {6, 5};
  esmm.cvr_units = {4};
  esmm.buckets = kBuckets;
  check_state_size<Esmm>(esmm);
  esmm.cvr_units.clear();
  check_state_size<Esmm>(esmm);
}

TEST_CASE("a state size counts dense entries with gradients and buckets with an index",
          "[models][nn]") {
  // By hand: a 3 -> 2 layer (8 entries) and 4 entries per bucket, Adam (two moments), floats:
  // dense 8 x 4 bytes x (value, gradient, 2 moments); 10 buckets x (4 x 4 bytes x 3 + 4).
  StateSize size;
  size.add_dense(3, 2);
  size.per_bucket = 4;
  CHECK(size.dense == 8);
  CHECK(size.flops == 12);
  CHECK(size.bytes(10, OptimizerKind::kAdam, sizeof(float)) == 8 * 4 * 4 + 10 * (4 * 4 * 3 + 4));
  CHECK(size.bytes(10, OptimizerKind::kSgd, sizeof(float)) == 8 * 4 * 2 + 10 * (4 * 4 + 4));
  CHECK(size.add_mlp(3, {}) == 3);
  CHECK(size.add_mlp(3, {5, 2}) == 2);
  CHECK(size.dense == 8 + 20 + 12);
}
