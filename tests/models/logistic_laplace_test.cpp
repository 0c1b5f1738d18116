// LogisticLaplace: the per-impression Laplace update by hand, recovery of synthetic logistic
// weights, held-out predictions, and a posterior that tightens with data.
#include <catch2/catch.hpp>

#include <array>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <vector>

#include "models/logistic_laplace.h"
#include "sim/core/rng.h"
#include "tests/models/model_test_support.h"

using namespace marketsim;

namespace {

double sigmoid(double s) { return 1 / (1 + std::exp(-s)); }

// The synthetic truth: logit = -2 + offer effect + 0.8 [returning] + device effect; regions, age
// bands and partners vary but do not matter.
constexpr std::array<double, 5> kOfferEffect = {1.0, -1.0, 0.5, -0.5, 0.0};
constexpr std::array<double, 2> kDeviceEffect = {0.4, -0.4};

double true_ctr(const RequestFeatures& r, std::uint32_t offer) {
  return sigmoid(-2 + kOfferEffect[offer] + (r.returning ? 0.8 : 0.0) + kDeviceEffect[r.device]);
}

// The held-out context: never in the training data as a whole, though each of its features is.
bool held_out(const RequestFeatures& r, std::uint32_t offer) {
  return offer == 2 && r.device == 1 && r.region == 3 && r.returning;
}

// Trains `model` on `n` impressions of uniformly random contexts and offers (held-out excluded).
void train(LogisticLaplace& model, int n, RngStream& rng) {
  boost::random::uniform_int_distribution<int> offer_of(0, 4), device_of(0, 1), region_of(0, 3),
      age_of(0, 4), coin(0, 1), partner_of(0, 2);
  for (int i = 0; i < n;) {
    const RequestFeatures r{static_cast<std::uint8_t>(device_of(rng)),
                            static_cast<std::uint8_t>(region_of(rng)),
                            static_cast<std::uint8_t>(age_of(rng)), coin(rng) == 1,
                            static_cast<std::uint32_t>(partner_of(rng))};
    const auto offer = static_cast<std::uint32_t>(offer_of(rng));
    if (held_out(r, offer)) continue;
    model.learn(r, offer, 0, rng.uniform() < true_ctr(r, offer));
    ++i;
  }
}

// Standard deviation of `draws` posterior samples of one (context, offer)'s CTR.
double sample_spread(const LogisticLaplace& model, const RequestFeatures& r, std::uint32_t offer,
                     RngStream& rng, int draws) {
  const std::vector<std::uint32_t> offers = {offer};
  std::vector<double> out(1);
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < draws; ++i) {
    model.sample(r, offers, rng, out);
    sum += out[0];
    sum_sq += out[0] * out[0];
  }
  const double mean = sum / draws;
  return std::sqrt(sum_sq / draws - mean * mean);
}

}  // namespace

TEST_CASE("logistic_laplace's first update is the exact one-example Laplace step",
          "[models][logistic_laplace]") {
  ParamValues p;
  p.set("hash_bits", std::int64_t{18});
  p.set("prior_variance", 2.0);
  const testing::TestCatalog catalog(4);
  auto model = predictor_registry().create("logistic_laplace", p, catalog.context());
  const RequestFeatures request{1, 2, 3, true, 7};
  std::vector<std::uint32_t> offers = {0, 1};
  std::vector<double> out(2);
  model->predict(request, offers, out);
  CHECK(out == std::vector<double>{0.5, 0.5});
  model->learn(request, 1, 0, true);
  // Nine active features, prior variance 2 each: s^2 = 18. The MAP logit s solves
  // s = 18 (1 - sigmoid(s)); each weight moves to s / 9 and its precision to 1/2 + p (1 - p).
  double lo = 0, hi = 18;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (mid - 18 * (1 - sigmoid(mid)) > 0 ? hi : lo) = mid;
  }
  const double s = lo, p_map = sigmoid(s);
  const auto& laplace = dynamic_cast<const LogisticLaplace&>(*model);
  CHECK(laplace.weight_mean(laplace.offer_bucket(1)) == Approx(s / 9).epsilon(1e-9));
  CHECK(laplace.weight_variance(laplace.offer_bucket(1)) ==
        Approx(1 / (0.5 + p_map * (1 - p_map))).epsilon(1e-9));
  CHECK(laplace.weight_mean(laplace.offer_bucket(0)) == 0.0);
  model->evidence(request, offers, out);
  CHECK(out == std::vector<double>{0, 1});
}

TEST_CASE("logistic_laplace recovers synthetic logistic weights and predicts unseen contexts",
          "[models][logistic_laplace][statistics]") {
  const testing::TestCatalog catalog(5);
  LogisticLaplace model(18, 1.0, catalog.context());
  RngStream rng(ReplicationKey{21, 0}, "test.logistic", 0);
  train(model, 200000, rng);
  // Offer effects are identified up to a constant shared with the bias, so compare differences.
  for (std::uint32_t i = 0; i < 5; ++i)
    for (std::uint32_t j = 0; j < 5; ++j) {
      if (kOfferEffect[i] <= kOfferEffect[j]) continue;
      INFO("offers " << i << " > " << j);
      CHECK(model.weight_mean(model.offer_bucket(i)) > model.weight_mean(model.offer_bucket(j)));
    }
  const std::vector<std::uint32_t> offer = {2};
  std::vector<double> out(1);
  const RequestFeatures unseen{1, 3, 0, true, 1};
  REQUIRE(held_out(unseen, 2));
  model.predict(unseen, offer, out);
  const double truth = true_ctr(unseen, 2);
  // Tolerance: 4 posterior standard deviations of the context's CTR, measured with sample(). Over
  // 20 seeds during development (pred - truth) / sd had a standard deviation of 1.2 (the diagonal
  // posterior is somewhat overconfident), so this fails for about one seed in 700.
  const double sd = sample_spread(model, unseen, 2, rng, 4000);
  INFO("held-out prediction " << out[0] << " truth " << truth << " posterior sd " << sd);
  CHECK(std::abs(out[0] - truth) < 4 * sd);
  CHECK(sd < 0.02);
  // The returning and device effects come out with the right signs in the predictions.
  RequestFeatures other = unseen;
  other.returning = false;
  std::vector<double> out_other(1);
  model.predict(other, offer, out_other);
  CHECK(out_other[0] < out[0]);
  other = unseen;
  other.device = 0;
  model.predict(other, offer, out_other);
  CHECK(out_other[0] > out[0]);
}

TEST_CASE("logistic_laplace's posterior draws are joint and tighten with data",
          "[models][logistic_laplace][statistics]") {
  const testing::TestCatalog catalog(5);
  LogisticLaplace model(18, 1.0, catalog.context());
  RngStream data_rng(ReplicationKey{22, 0}, "test.logistic.data", 0);
  RngStream draw_rng(ReplicationKey{22, 0}, "test.logistic.draws", 0);
  const RequestFeatures context{0, 1, 2, false, 0};
  // One weight draw per call: an offer listed twice gets the same draw.
  const std::vector<std::uint32_t> twice = {3, 3};
  std::vector<double> out(2);
  model.sample(context, twice, draw_rng, out);
  CHECK(out[0] == out[1]);
  double previous = sample_spread(model, context, 0, draw_rng, 4000);
  int trained = 0;
  for (int n : {300, 3000, 30000}) {
    train(model, n - trained, data_rng);
    trained = n;
    const double spread = sample_spread(model, context, 0, draw_rng, 4000);
    INFO("after " << n << " impressions: spread " << spread << ", before " << previous);
    // The relative SE of each spread is about 1/sqrt(2 * 4000) = 1.1%, so 0.8 is far outside noise.
    CHECK(spread < 0.8 * previous);
    previous = spread;
  }
}
