// marketsim::nn: analytic gradients of every network against central finite differences (double),
// the closed forms of the simplest configurations, and the stability of the losses at extreme
// logits (float against double).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>

#include "models/nn/dcn_v2.h"
#include "models/nn/esmm.h"
#include "models/nn/factorization_machine.h"
#include "models/nn/loss.h"
#include "models/nn/mmoe.h"
#include "tests/models/nn_test_support.h"

using namespace marketsim;
using namespace marketsim::nn;

namespace {

// Central differences (L(w + h) - L(w - h)) / 2h differ from dL/dw by the truncation error
// h^2 |L'''| / 6 and the rounding error ~ eps_L / h, where eps_L ~ 1e-15 is the absolute rounding
// error of a loss of order one (a few hundred double operations). With h = 1e-6 and |L'''| of
// order one (parameters and inputs of order one, see scramble()) that is ~2e-13 + ~1e-9, so a
// tolerance of 1e-7 + 1e-6 |g| leaves a margin of about 100 over the expected error while a wrong
// gradient term (of order 1e-3 and more here) fails by orders of magnitude.
constexpr double kStep = 1e-6;
constexpr double kAbsoluteTolerance = 1e-7;
constexpr double kRelativeTolerance = 1e-6;
// A ReLU that switches inside [w - h, w + h] leaves no derivative to compare with; it shows as a
// second difference L(w + h) - 2 L(w) + L(w - h) of order |slope jump| h >> the smooth h^2 |L''|
// ~ 1e-12. Such entries are counted as kinks and skipped; they must stay rare.
constexpr double kKinkSecondDifference = 1e-10;

struct CheckResult {
  int checked = 0;
  int kinks = 0;
  double worst_excess = -std::numeric_limits<double>::infinity();
  std::string worst;
};

// Compares dL/dw = `gradient` with central differences of the loss in `value` (restored after).
void check_entry(Network<double>& net, const IndexMatrix& x, const Targets<double>& y, double loss,
                 double& value, double gradient, const std::string& where, CheckResult& result) {
  const double saved = value;
  value = saved + kStep;
  const double plus = net.loss_and_gradients(x, y);
  value = saved - kStep;
  const double minus = net.loss_and_gradients(x, y);
  value = saved;
  if (std::abs(plus - 2 * loss + minus) > kKinkSecondDifference) {
    ++result.kinks;
    return;
  }
  ++result.checked;
  const double numeric = (plus - minus) / (2 * kStep);
  const double excess =
      std::abs(numeric - gradient) - (kAbsoluteTolerance + kRelativeTolerance * std::abs(gradient));
  if (excess > result.worst_excess) {
    result.worst_excess = excess;
    result.worst =
        where + ": analytic " + std::to_string(gradient) + ", numeric " + std::to_string(numeric);
  }
}

// Checks every dense entry and every entry of every embedding bucket the batch touched; also that
// the touched buckets are exactly those of x.
CheckResult check_gradients(Network<double>& net, const IndexMatrix& x, const Targets<double>& y) {
  const double loss = net.loss_and_gradients(x, y);
  std::vector<Matrix<double>> dense;
  for (const Parameter<double>* p : net.parameters().dense) dense.push_back(p->gradient);
  EmbeddingTable<double>& table = *net.parameters().embeddings.at(0);
  const std::vector<std::uint32_t> touched(table.touched().begin(), table.touched().end());
  Matrix<double> sparse(table.dim(), static_cast<Eigen::Index>(touched.size()));
  for (std::size_t s = 0; s < touched.size(); ++s) sparse.col(s) = table.gradient(s);
  const std::set<std::uint32_t> used(x.data(), x.data() + x.size());
  CHECK(std::set<std::uint32_t>(touched.begin(), touched.end()) == used);
  CHECK(touched.size() == used.size());

  CheckResult result;
  const auto& params = net.parameters().dense;
  for (std::size_t k = 0; k < params.size(); ++k)
    for (Eigen::Index i = 0; i < params[k]->value.size(); ++i)
      check_entry(net, x, y, loss, params[k]->value.data()[i], dense[k].data()[i],
                  params[k]->name + "[" + std::to_string(i) + "]", result);
  for (std::size_t s = 0; s < touched.size(); ++s)
    for (int d = 0; d < table.dim(); ++d)
      check_entry(net, x, y, loss, table.value(d, touched[s]), sparse(d, s),
                  "embedding bucket " + std::to_string(touched[s]), result);
  return result;
}

void require_match(const CheckResult& r) {
  INFO("worst entry: " << r.worst << "; kinks skipped: " << r.kinks);
  CHECK(r.checked > 0);
  CHECK(r.kinks * 100 <= r.checked);
  CHECK(r.worst_excess <= 0);
}

// A batch of 7 examples over 4 fields and 23 buckets: buckets repeat across examples and fields,
// so the embedding gradient must sum duplicates. Example 3 has weight 0.
struct Batch {
  IndexMatrix x;
  Targets<double> y;
};

Batch make_batch(int tasks, double mask_probability, std::uint32_t stream) {
  RngStream rng(ReplicationKey{1, 0}, "nn_gradient_test.batch", stream);
  Batch b{testing::random_inputs(4, 23, 7, rng),
          testing::random_targets<double>(tasks, 7, mask_probability, rng)};
  b.x(1, 2) = b.x(0, 2);  // one example reads one bucket through two fields
  b.y.weight(3) = 0;
  return b;
}

DcnV2Config small_dcn(int cross_layers, bool parallel, std::vector<int> deep) {
  DcnV2Config c;
  c.fields = 4;
  c.embedding_dim = 3;
  c.cross_layers = cross_layers;
  c.parallel = parallel;
  c.deep_units = std::move(deep);
  c.buckets = 23;
  return c;
}

}  // namespace

TEST_CASE("DCN-V2 gradients match finite differences", "[nn][gradient]") {
  struct Case {
    const char* name;
    DcnV2Config config;
  };
  const Case cases[] = {{"stacked", small_dcn(2, false, {6, 5})},
                        {"parallel", small_dcn(2, true, {6, 5})},
                        {"cross only", small_dcn(2, false, {})},
                        {"deep only", small_dcn(0, false, {6})},
                        {"logistic regression", small_dcn(0, false, {})}};
  std::uint32_t stream = 0;
  for (const Case& c : cases) {
    SECTION(c.name) {
      DcnV2<double> net(c.config, 7);
      RngStream rng(ReplicationKey{1, 0}, "nn_gradient_test.values", stream);
      testing::scramble(net, 0.6, rng);
      const Batch b = make_batch(1, 0.8, stream);
      require_match(check_gradients(net, b.x, b.y));
    }
    ++stream;
  }
}

TEST_CASE("MMoE gradients match finite differences with masked labels", "[nn][gradient]") {
  MmoeConfig c;
  c.fields = 4;
  c.embedding_dim = 3;
  c.experts = 3;
  c.expert_units = 5;
  c.tower_units = 4;
  c.task_weights = {1.0, 0.7, 0.4};
  c.buckets = 23;
  Mmoe<double> net(c, 11);
  RngStream rng(ReplicationKey{1, 0}, "nn_gradient_test.values", 100);
  testing::scramble(net, 0.6, rng);
  const Batch b = make_batch(3, 0.6, 100);
  REQUIRE((b.y.mask.array() == 0).any());
  require_match(check_gradients(net, b.x, b.y));
}

TEST_CASE("an MMoE task of weight 0 contributes nothing", "[nn][gradient]") {
  MmoeConfig c;
  c.fields = 4;
  c.embedding_dim = 3;
  c.task_weights = {1.0, 0.0, 0.5};
  c.buckets = 23;
  Mmoe<double> net(c, 3);
  Batch b = make_batch(3, 1.0, 101);
  const double loss = net.loss_and_gradients(b.x, b.y);
  for (const Parameter<double>* p : net.parameters().dense)
    if (p->name.rfind("tower1.", 0) == 0 || p->name.rfind("head1.", 0) == 0) {
      INFO(p->name);
      CHECK(p->gradient.isZero(0));
    }
  b.y.label.row(1).setConstant(1.0 - b.y.label(1, 0));
  CHECK(net.loss_and_gradients(b.x, b.y) == loss);
}

TEST_CASE("ESMM gradients match finite differences with masked labels", "[nn][gradient]") {
  EsmmConfig c;
  c.fields = 4;
  c.embedding_dim = 3;
  c.ctr_units = {6, 4};
  c.cvr_units = {5};
  c.ctr_weight = 1.0;
  c.ctcvr_weight = 0.8;
  c.buckets = 23;
  Esmm<double> net(c, 5);
  RngStream rng(ReplicationKey{1, 0}, "nn_gradient_test.values", 200);
  testing::scramble(net, 0.6, rng);
  Batch b = make_batch(2, 0.7, 200);
  b.y.label.row(1) = b.y.label.row(1).cwiseProduct(b.y.label.row(0));  // converted => clicked
  require_match(check_gradients(net, b.x, b.y));
}

TEST_CASE("factorization machine gradients match finite differences", "[nn][gradient]") {
  FmConfig c;
  c.fields = 4;
  c.factors = 3;
  c.buckets = 23;
  FactorizationMachine<double> net(c, 13);
  RngStream rng(ReplicationKey{1, 0}, "nn_gradient_test.values", 400);
  testing::scramble(net, 0.6, rng);
  const Batch b = make_batch(1, 0.8, 400);
  const CheckResult result = check_gradients(net, b.x, b.y);
  CHECK(result.kinks == 0);  // a polynomial in the parameters: smooth everywhere
  require_match(result);
}

TEST_CASE("the factorization machine sums every pairwise factor product", "[nn]") {
  // The O(fields x k) form against the definition b + sum_f w_f + sum_{f < g} <v_f, v_g>, with
  // column e of the table holding (w, v_1 .. v_k) of bucket e. Example 2 reads one bucket through
  // two fields (make_batch), so a bucket also interacts with itself.
  FmConfig c;
  c.fields = 4;
  c.factors = 3;
  c.buckets = 23;
  FactorizationMachine<double> net(c, 17);
  RngStream rng(ReplicationKey{1, 0}, "nn_gradient_test.values", 401);
  testing::scramble(net, 0.6, rng);
  const Batch b = make_batch(1, 1.0, 401);
  Matrix<double> logits;
  net.predict_logits(b.x, logits);
  const Matrix<double>& table = net.parameters().embeddings[0]->value;
  const double bias = net.parameters().dense.at(0)->value(0, 0);
  for (Eigen::Index j = 0; j < b.x.cols(); ++j) {
    double logit = bias;
    for (int f = 0; f < 4; ++f) {
      logit += table(0, b.x(f, j));
      for (int g = f + 1; g < 4; ++g)
        logit += table.col(b.x(f, j)).tail(3).dot(table.col(b.x(g, j)).tail(3));
    }
    CHECK(logits(0, j) == Approx(logit).epsilon(1e-12));
  }
}

TEST_CASE("DCN-V2 without cross or deep layers is logistic regression on the embeddings", "[nn]") {
  DcnV2<double> net(small_dcn(0, false, {}), 9);
  RngStream rng(ReplicationKey{1, 0}, "nn_gradient_test.values", 300);
  testing::scramble(net, 0.6, rng);
  const Batch b = make_batch(1, 1.0, 300);
  Matrix<double> logits;
  net.predict_logits(b.x, logits);
  const auto& dense = net.parameters().dense;
  REQUIRE(dense.size() == 2);  // output.weight, output.bias
  const Matrix<double>& table = net.parameters().embeddings[0]->value;
  for (Eigen::Index j = 0; j < b.x.cols(); ++j) {
    double logit = dense[1]->value(0, 0);
    for (int f = 0; f < 4; ++f)
      logit += dense[0]->value.middleCols(3 * f, 3).row(0).dot(table.col(b.x(f, j)).transpose());
    CHECK(logits(0, j) == Approx(logit).epsilon(1e-12));
  }
}

TEST_CASE("the losses stay finite and accurate in float at extreme logits", "[nn]") {
  // Each (s1, s2) pair with both labels; float results against the same formulas in double.
  const float values[] = {-30.0f, -8.0f, -0.5f, 0.0f, 0.7f, 9.0f, 30.0f};
  const int n = 7 * 7 * 2;
  Matrix<float> logits_f(2, n);
  Targets<float> y_f{Matrix<float>(2, n), Matrix<float>::Ones(2, n), RowVector<float>::Ones(n)};
  int j = 0;
  for (float s1 : values)
    for (float s2 : values)
      for (float label : {0.0f, 1.0f}) {
        logits_f.col(j) << s1, s2;
        y_f.label.col(j) << label, label;
        ++j;
      }
  const Matrix<double> logits_d = logits_f.cast<double>();
  const Targets<double> y_d{y_f.label.cast<double>(), y_f.mask.cast<double>(),
                            y_f.weight.cast<double>()};
  Matrix<float> d_f(2, n);
  Matrix<double> d_d(2, n);
  const float esmm_f = esmm_loss<float>(logits_f, y_f, 1.0f, 1.0f, d_f);
  const double esmm_d = esmm_loss<double>(logits_d, y_d, 1.0, 1.0, d_d);
  CHECK(std::isfinite(esmm_f));
  CHECK(esmm_f == Approx(esmm_d).epsilon(1e-5));
  // Per-example gradients of size up to 1/n; float keeps ~1e-7 of that.
  CHECK((d_f.cast<double>() - d_d).cwiseAbs().maxCoeff() <= 1e-6 / n);

  const Vector<float> two_tasks_f = Vector<float>::Ones(2);
  const float bce_f = weighted_bce_with_logits<float>(logits_f, y_f, two_tasks_f, d_f);
  const double bce_d =
      weighted_bce_with_logits<double>(logits_d, y_d, Vector<double>::Ones(2), d_d);
  CHECK(std::isfinite(bce_f));
  CHECK(bce_f == Approx(bce_d).epsilon(1e-5));
  CHECK((d_f.cast<double>() - d_d).cwiseAbs().maxCoeff() <= 1e-6 / n);
}
