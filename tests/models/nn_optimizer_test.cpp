// marketsim::nn optimizers: each kind's first steps on a one-parameter quadratic by hand, lazy
// updates of embedding rows, and the deduplicated sparse gradient.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/nn/embedding_table.h"
#include "models/nn/optimizer.h"

using namespace marketsim::nn;

namespace {

// Two steps on f(w) = (w - 3)^2 / 2 (gradient w - 3) from w = 2; returns w after each step.
std::pair<double, double> two_steps(const OptimizerConfig& config) {
  Parameter<double> w("w", 1, 1, Initializer::zero());
  const ParameterSet<double> set{{&w}, {}};
  Optimizer<double> optimizer(config);
  optimizer.reset(set);
  w.value(0, 0) = 2;
  w.gradient(0, 0) = w.value(0, 0) - 3;
  optimizer.step(set);
  const double first = w.value(0, 0);
  w.gradient(0, 0) = w.value(0, 0) - 3;
  optimizer.step(set);
  return {first, w.value(0, 0)};
}

OptimizerConfig config(OptimizerKind kind, double lr, double l2) {
  OptimizerConfig c;
  c.kind = kind;
  c.learning_rate = lr;
  c.l2 = l2;
  return c;
}

}  // namespace

TEST_CASE("SGD steps by w -= lr (gradient + l2 w)", "[nn][optimizer]") {
  // lr 0.1, l2 0.25. Step 1: g = -1 + 0.5 = -0.5, w = 2.05.
  // Step 2: g = -0.95 + 0.5125 = -0.4375, w = 2.05 + 0.04375 = 2.09375.
  const auto [first, second] = two_steps(config(OptimizerKind::kSgd, 0.1, 0.25));
  CHECK(first == Approx(2.05).epsilon(1e-14));
  CHECK(second == Approx(2.09375).epsilon(1e-14));
}

TEST_CASE("Adagrad divides by the root of the summed squared gradients", "[nn][optimizer]") {
  // lr 0.1. Step 1: g = -1, G = 1, w = 2 + 0.1 / (1 + 1e-8).
  // Step 2: g = w - 3 = -0.9 (up to 1e-9), G = 1.81, w += 0.1 * 0.9 / (sqrt(1.81) + 1e-8).
  const auto [first, second] = two_steps(config(OptimizerKind::kAdagrad, 0.1, 0));
  const double w1 = 2 + 0.1 / (1 + 1e-8);
  const double g2 = w1 - 3;
  CHECK(first == Approx(w1).epsilon(1e-14));
  CHECK(second == Approx(w1 - 0.1 * g2 / (std::sqrt(1 + g2 * g2) + 1e-8)).epsilon(1e-14));
  CHECK(second == Approx(2.1 + 0.09 / std::sqrt(1.81)).epsilon(1e-8));
}

TEST_CASE("Adam takes bias-corrected moment steps", "[nn][optimizer]") {
  // lr 0.1, beta1 0.9, beta2 0.999. Step 1: m = -0.1, v = 0.001; m^ = -1, v^ = 1,
  // w = 2 + 0.1 / (1 + 1e-8) ~ 2.1.
  // Step 2: g ~ -0.9, m = -0.09 - 0.09 = -0.18, v = 0.000999 + 0.00081 = 0.001809;
  // m^ = -0.18 / 0.19 = -0.947368..., v^ = 0.001809 / 0.001999 = 0.904952...,
  // w = 2.1 + 0.1 * 0.947368 / 0.951290 = 2.1995877...
  const auto [first, second] = two_steps(config(OptimizerKind::kAdam, 0.1, 0));
  CHECK(first == Approx(2 + 0.1 / (1 + 1e-8)).epsilon(1e-14));
  const double m_hat = 0.18 / 0.19, v_hat = 0.001809 / 0.001999;
  CHECK(second == Approx(2.1 + 0.1 * m_hat / std::sqrt(v_hat)).epsilon(1e-8));
  CHECK(second == Approx(2.1995877).epsilon(1e-7));
}

TEST_CASE("the embedding gradient sums the lookups of each bucket once", "[nn][optimizer]") {
  EmbeddingTable<double> table("e", 5, 2, 0.0);
  IndexMatrix x(2, 3);
  x << 4, 1, 4,  //
      4, 0, 1;
  Matrix<double> dx0(4, 3);
  dx0 << 1, 2, 3,     //
      10, 20, 30,     //
      100, 200, 300,  //
      1000, 2000, 3000;
  table.zero_gradient();
  table.accumulate_gradient(x, dx0);
  // First use order: 4 (field 0 and 1 of example 0, field 0 of example 2), 1, 0.
  REQUIRE(std::vector<std::uint32_t>(table.touched().begin(), table.touched().end()) ==
          std::vector<std::uint32_t>{4, 1, 0});
  CHECK(table.gradient(0) == Eigen::Vector2d(1 + 100 + 3, 10 + 1000 + 30));
  CHECK(table.gradient(1) == Eigen::Vector2d(2 + 300, 20 + 3000));
  CHECK(table.gradient(2) == Eigen::Vector2d(200, 2000));
  table.zero_gradient();
  CHECK(table.touched().empty());
}

TEST_CASE("embedding rows are updated lazily, Adam bias-corrected by the global step",
          "[nn][optimizer]") {
  EmbeddingTable<double> table("e", 3, 1, 0.0);
  table.value << 1, 2, 3;
  const ParameterSet<double> set{{}, {&table}};
  OptimizerConfig c = config(OptimizerKind::kAdam, 0.1, 0.5);
  Optimizer<double> optimizer(c);
  optimizer.reset(set);
  const auto step_on = [&](std::uint32_t bucket, double gradient) {
    IndexMatrix x(1, 1);
    x << bucket;
    table.zero_gradient();
    table.accumulate_gradient(x, Matrix<double>::Constant(1, 1, gradient));
    optimizer.step(set);
  };
  // Step 1 touches bucket 0: g = 0.5 + 0.5 * 1 = 1, the first Adam step moves it by lr.
  step_on(0, 0.5);
  CHECK(table.value(0, 0) == Approx(1 - 0.1 / (1 + 1e-8)).epsilon(1e-14));
  const double after_first = table.value(0, 0), m = table.moment1(0, 0), v = table.moment2(0, 0);
  // Step 2 touches bucket 2 only: g = 0.1 + 0.5 * 3 = 1.6; m = 0.16, v = 0.00256, and the bias
  // correction of step t = 2: m^ = 0.16 / 0.19, v^ = 0.00256 / 0.001999.
  step_on(2, 0.1);
  CHECK(table.value(0, 0) == after_first);  // untouched: value and moments stay
  CHECK(table.moment1(0, 0) == m);
  CHECK(table.moment2(0, 0) == v);
  CHECK(table.value(0, 1) == 2);  // never touched: no weight decay either
  CHECK(table.moment1(0, 1) == 0);
  const double m_hat = 0.16 / 0.19, v_hat = 0.00256 / 0.001999;
  CHECK(table.value(0, 2) == Approx(3 - 0.1 * m_hat / (std::sqrt(v_hat) + 1e-8)).epsilon(1e-12));
  CHECK(optimizer.steps() == 2);
}

TEST_CASE("optimizer settings out of range are rejected", "[nn][optimizer]") {
  OptimizerConfig c;
  c.learning_rate = 0;
  CHECK_THROWS_AS(Optimizer<float>(c), std::invalid_argument);
  c = OptimizerConfig{};
  c.beta2 = 1;
  CHECK_THROWS_AS(Optimizer<float>(c), std::invalid_argument);
  c = OptimizerConfig{};
  c.l2 = -1;
  CHECK_THROWS_AS(Optimizer<float>(c), std::invalid_argument);
}
