// FtrlLogistic: the first FTRL-Proximal step by hand, and recovery of a logistic truth with a
// pairwise cross only when the cross is one of its features.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "models/ftrl.h"
#include "models/sigmoid.h"
#include "sim/core/rng.h"
#include "tests/models/model_test_support.h"

using namespace marketsim;
using marketsim::testing::TestCatalog;

namespace {

FeatureSpec spec_of(const std::string& fields, const std::string& crosses) {
  ParamValues v = defaults_of(FeatureSpec::declare());
  v.set("fields", fields);
  v.set("crosses", crosses);
  return FeatureSpec::from(v);
}

}  // namespace

TEST_CASE("ftrl takes McMahan's first step by hand", "[models][ftrl]") {
  const TestCatalog catalog(2);
  FtrlLogistic model({0.1, 1.0, 0.1, 1.0}, catalog.context(Task::kClick, spec_of("device", "")));
  CHECK_FALSE(model.ready());
  RequestFeatures r;
  r.device = 2;
  model.learn(r, 0, 0, true);
  CHECK(model.ready());
  // Both active coordinates (device = 2 and the bias) start at z = n = 0, so w = 0, p = 1/2 and
  // g = p - y = -1/2. sigma = (sqrt(1/4) - 0) / alpha = 5, z = g - sigma * 0 = -1/2, n = 1/4, and
  // w = -(z + l1) / ((beta + sqrt(n)) / alpha + l2) = 0.4 / (1.5 / 0.1 + 1) = 0.025.
  CHECK(model.weight(model.hasher().bucket_count()) == Approx(0.025).epsilon(1e-12));
  std::vector<std::uint32_t> offers = {0, 1};
  std::vector<double> p(2);
  model.predict(r, offers, p);
  CHECK(p[0] == Approx(sigmoid(0.05)).epsilon(1e-12));
  CHECK(p[1] == Approx(sigmoid(0.05)).epsilon(1e-12));  // the offer is not a feature here
  r.device = 1;                                         // unseen value: bias only
  model.predict(r, offers, p);
  CHECK(p[0] == Approx(sigmoid(0.025)).epsilon(1e-12));
}

TEST_CASE("ftrl recovers a logistic truth with an offer x device cross", "[models][ftrl]") {
  // Truth: logit = -2 + a[offer] + c[offer][device], 10 offers x 3 devices, a ~ U(-1, 1) and
  // c ~ U(-1, 1). With the offer*device cross among its features the model can represent the
  // truth exactly; without it, it can only fit additive offer and device effects.
  constexpr int kOffers = 10, kDevices = 3, kTrain = 300000;
  RngStream truth_rng(ReplicationKey{3, 0}, "test.truth", 0);
  std::vector<double> a(kOffers), c(kOffers * kDevices);
  for (double& x : a) x = 2 * truth_rng.uniform() - 1;
  for (double& x : c) x = 2 * truth_rng.uniform() - 1;
  const auto truth = [&](int offer, int device) {
    return sigmoid(-2 + a[offer] + c[offer * kDevices + device]);
  };
  const TestCatalog catalog(kOffers);
  const auto rmse_after_training = [&](const std::string& crosses) {
    FtrlLogistic model({0.1, 1.0, 0.0, 1.0},
                       catalog.context(Task::kClick, spec_of("offer,device", crosses)));
    RngStream data(ReplicationKey{3, 0}, "test.data", 0);
    for (int i = 0; i < kTrain; ++i) {
      RequestFeatures r;
      r.device = static_cast<std::uint8_t>(i % kDevices);
      const auto offer = static_cast<std::uint32_t>((i / kDevices) % kOffers);
      model.learn(r, offer, 0, data.uniform() < truth(offer, r.device));
    }
    double squared = 0;
    std::vector<std::uint32_t> offers(kOffers);
    for (int o = 0; o < kOffers; ++o) offers[o] = static_cast<std::uint32_t>(o);
    std::vector<double> p(kOffers);
    for (int d = 0; d < kDevices; ++d) {
      RequestFeatures r;
      r.device = static_cast<std::uint8_t>(d);
      model.predict(r, offers, p);
      for (int o = 0; o < kOffers; ++o) squared += std::pow(p[o] - truth(o, d), 2);
    }
    return std::sqrt(squared / (kOffers * kDevices));
  };
  // Each of the 30 cells gets 10,000 examples; at rates around 0.12 a cell's empirical rate has a
  // standard error of about sqrt(0.12 * 0.88 / 10000) = 0.0033, so a model that fits each cell
  // is within ~0.0033 RMSE of the truth (plus a little regularisation shrinkage): allow 3 SE.
  const double with_cross = rmse_after_training("offer*device");
  const double without_cross = rmse_after_training("");
  CHECK(with_cross < 0.01);
  // The additive fit misses c, whose effect on rates around 0.12 is ~0.1 x 0.58 sd: far above.
  CHECK(without_cross > 3 * with_cross);
}
