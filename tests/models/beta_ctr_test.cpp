// BetaCtr: posterior means computed by hand.
#include <catch2/catch.hpp>

#include "models/predictor.h"
#include "tests/models/model_test_support.h"

using namespace marketsim;

TEST_CASE("beta CTR is the posterior mean of its offer's impressions", "[models][beta]") {
  ParamValues p;
  p.set("prior_alpha", 1.0);
  p.set("prior_beta", 9.0);
  const testing::TestCatalog catalog(3);
  auto model = predictor_registry().create("beta", p, catalog.context());
  const RequestFeatures request;
  std::vector<std::uint32_t> offers = {0, 1, 2};
  std::vector<double> out(3);
  model->predict(request, offers, out);
  CHECK(out == std::vector<double>{0.1, 0.1, 0.1});
  // Offer 1: 2 clicks in 5 impressions -> (1 + 2) / (10 + 5) = 0.2.
  for (bool clicked : {true, false, true, false, false}) model->learn(request, 1, 0, clicked);
  // Offer 2: 0 clicks in 10 -> 1 / 20.
  for (int i = 0; i < 10; ++i) model->learn(request, 2, 1, false);
  model->predict(request, offers, out);
  CHECK(out[0] == Approx(0.1));
  CHECK(out[1] == Approx(0.2));
  CHECK(out[2] == Approx(0.05));
}
