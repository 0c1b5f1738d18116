// marketsim::nn networks, every implementation: determinism, reset, batch-size independence,
// training-step semantics and input checks.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/nn/dcn_v2.h"
#include "models/nn/esmm.h"
#include "models/nn/mmoe.h"
#include "tests/models/nn_test_support.h"

using namespace marketsim;
using namespace marketsim::nn;

namespace {

constexpr int kFields = 5;
constexpr std::size_t kBuckets = 1000;

struct Implementation {
  std::string name;
  std::function<std::unique_ptr<Network<float>>(std::uint64_t seed)> make;
};

std::vector<Implementation> implementations() {
  DcnV2Config dcn;
  dcn.fields = kFields;
  dcn.embedding_dim = 4;
  dcn.cross_layers = 2;
  dcn.deep_units = {16, 8};
  dcn.buckets = kBuckets;
  dcn.optimizer.learning_rate = 0.01;
  DcnV2Config parallel = dcn;
  parallel.parallel = true;
  MmoeConfig mmoe;
  mmoe.fields = kFields;
  mmoe.embedding_dim = 4;
  mmoe.experts = 3;
  mmoe.expert_units = 8;
  mmoe.tower_units = 4;
  mmoe.buckets = kBuckets;
  mmoe.optimizer.learning_rate = 0.01;
  EsmmConfig esmm;
  esmm.fields = kFields;
  esmm.embedding_dim = 4;
  esmm.ctr_units = {8};
  esmm.cvr_units = {8, 4};
  esmm.buckets = kBuckets;
  esmm.optimizer.learning_rate = 0.01;
  return {{"dcn_v2 stacked", [=](auto seed) { return std::make_unique<DcnV2<float>>(dcn, seed); }},
          {"dcn_v2 parallel",
           [=](auto seed) { return std::make_unique<DcnV2<float>>(parallel, seed); }},
          {"mmoe", [=](auto seed) { return std::make_unique<Mmoe<float>>(mmoe, seed); }},
          {"esmm", [=](auto seed) { return std::make_unique<Esmm<float>>(esmm, seed); }}};
}

// Every parameter value of `net`, flattened in parameter order.
std::vector<float> values(const Network<float>& net) {
  std::vector<float> out;
  for (const Parameter<float>* p : net.parameters().dense)
    out.insert(out.end(), p->value.data(), p->value.data() + p->value.size());
  for (const EmbeddingTable<float>* t : net.parameters().embeddings)
    out.insert(out.end(), t->value.data(), t->value.data() + t->value.size());
  return out;
}

struct Batch {
  IndexMatrix x;
  Targets<float> y;
};

Batch batch(int tasks, int size, std::uint32_t stream) {
  RngStream rng(ReplicationKey{3, 0}, "nn_network_test.batch", stream);
  return {testing::random_inputs(kFields, kBuckets, size, rng),
          testing::random_targets<float>(tasks, size, 0.8, rng)};
}

}  // namespace

TEST_CASE("every network: same seed and data give bit-identical parameters", "[nn]") {
  for (const Implementation& impl : implementations()) {
    INFO(impl.name);
    auto a = impl.make(42), b = impl.make(42), c = impl.make(43);
    CHECK(values(*a) == values(*b));
    CHECK(values(*a) != values(*c));
    for (std::uint32_t step = 0; step < 5; ++step) {
      const Batch data = batch(a->outputs(), 32, step);
      CHECK(a->train_step(data.x, data.y) == b->train_step(data.x, data.y));
    }
    CHECK(values(*a) == values(*b));
    // Training from scratch: reset(seed) is the freshly built network, optimizer state included.
    const std::vector<float> trained = values(*a);
    a->reset(42);
    CHECK(values(*a) == values(*impl.make(42)));
    for (std::uint32_t step = 0; step < 5; ++step) {
      const Batch data = batch(a->outputs(), 32, step);
      a->train_step(data.x, data.y);
    }
    CHECK(values(*a) == trained);
  }
}

TEST_CASE("every network scores an example the same whatever the batch", "[nn]") {
  for (const Implementation& impl : implementations()) {
    INFO(impl.name);
    auto net = impl.make(1);
    const Batch data = batch(net->outputs(), 20, 100);
    Matrix<float> full, single, again;
    net->predict_logits(data.x, full);
    REQUIRE(full.rows() == net->outputs());
    REQUIRE(full.cols() == 20);
    for (Eigen::Index j : {0, 7, 19}) {
      net->predict_logits(data.x.col(j), single);
      for (Eigen::Index t = 0; t < full.rows(); ++t)
        CHECK(single(t, 0) == Approx(full(t, j)).epsilon(1e-5).margin(1e-6));
    }
    net->predict_logits(data.x, again);
    CHECK(again == full);
    net->predict_logits(IndexMatrix(kFields, 0), again);
    CHECK(again.cols() == 0);
  }
}

TEST_CASE("every network: train_step returns the loss before its step and learns", "[nn]") {
  for (const Implementation& impl : implementations()) {
    INFO(impl.name);
    auto net = impl.make(2);
    const Batch data = batch(net->outputs(), 64, 200);
    const float before = net->loss_and_gradients(data.x, data.y);
    CHECK(before > 0);
    CHECK(net->train_step(data.x, data.y) == before);
    CHECK(net->optimizer().steps() == 1);
    for (int step = 0; step < 50; ++step) net->train_step(data.x, data.y);
    CHECK(net->loss_and_gradients(data.x, data.y) < 0.9f * before);
  }
}

TEST_CASE("every network rejects malformed inputs and targets", "[nn]") {
  for (const Implementation& impl : implementations()) {
    INFO(impl.name);
    auto net = impl.make(3);
    Batch data = batch(net->outputs(), 4, 300);
    Matrix<float> logits;
    CHECK_THROWS_AS(net->predict_logits(IndexMatrix::Zero(kFields + 1, 4), logits),
                    std::invalid_argument);
    IndexMatrix out_of_range = data.x;
    out_of_range(2, 1) = kBuckets;
    CHECK_THROWS_AS(net->predict_logits(out_of_range, logits), std::invalid_argument);
    CHECK_THROWS_AS(net->train_step(out_of_range, data.y), std::invalid_argument);
    CHECK_THROWS_AS(net->train_step(IndexMatrix(kFields, 0), Targets<float>{}),
                    std::invalid_argument);
    Targets<float> short_weight = data.y;
    short_weight.weight.resize(3);
    CHECK_THROWS_AS(net->train_step(data.x, short_weight), std::invalid_argument);
    Targets<float> wrong_tasks = data.y;
    wrong_tasks.mask.resize(net->outputs() + 1, 4);
    CHECK_THROWS_AS(net->loss_and_gradients(data.x, wrong_tasks), std::invalid_argument);
    CHECK(net->optimizer().steps() == 0);
  }
}

TEST_CASE("network configurations out of range are rejected", "[nn]") {
  DcnV2Config dcn;
  dcn.cross_layers = -1;
  CHECK_THROWS_AS(DcnV2<float>(dcn, 0), std::invalid_argument);
  dcn = DcnV2Config{};
  dcn.deep_units = {8, 0};
  CHECK_THROWS_AS(DcnV2<float>(dcn, 0), std::invalid_argument);
  dcn = DcnV2Config{};
  dcn.buckets = 0;
  CHECK_THROWS_AS(DcnV2<float>(dcn, 0), std::invalid_argument);
  MmoeConfig mmoe;
  mmoe.task_weights = {1, -1, 1};
  CHECK_THROWS_AS(Mmoe<float>(mmoe, 0), std::invalid_argument);
  mmoe = MmoeConfig{};
  mmoe.experts = 0;
  CHECK_THROWS_AS(Mmoe<float>(mmoe, 0), std::invalid_argument);
  EsmmConfig esmm;
  esmm.ctcvr_weight = -1;
  CHECK_THROWS_AS(Esmm<float>(esmm, 0), std::invalid_argument);
  esmm = EsmmConfig{};
  esmm.embedding_dim = 0;
  CHECK_THROWS_AS(Esmm<float>(esmm, 0), std::invalid_argument);
}
