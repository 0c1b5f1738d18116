// OracleModel: predictions are exactly what the truth view says, and it learns nothing.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <vector>

#include "models/oracle.h"
#include "models/truth_view.h"

using namespace marketsim;

namespace {

// A truth where offer o clicks with probability (o + 1) / 100 for user 0, twice that for user 1,
// converts with probability (o + 1) / 10, and slot s is examined with probability 1 / (s + 1).
class HandTruth final : public TruthView {
 public:
  void click_probabilities(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                           std::span<double> out) const override {
    for (std::size_t i = 0; i < offers.size(); ++i)
      out[i] = (offers[i] + 1) / 100.0 * (request.user + 1);
  }
  void conversion_probabilities(std::span<const std::uint32_t> offers,
                                std::span<double> out) const override {
    for (std::size_t i = 0; i < offers.size(); ++i) out[i] = (offers[i] + 1) / 10.0;
  }
  double position_bias(int slot) const override { return 1.0 / (slot + 1); }
};

PredictorContext context(Task task, const TruthView* truth) {
  PredictorContext c;
  c.task = task;
  c.truth = truth;
  return c;
}

}  // namespace

TEST_CASE("the oracle predicts the true click probability in the slot", "[models][oracle]") {
  const HandTruth truth;
  const OracleModel model(context(Task::kClick, &truth));
  const std::vector<std::uint32_t> offers{0, 4, 9};
  std::vector<double> out(3);
  RequestFeatures request;
  request.user = 1;
  model.predict(request, offers, out);
  CHECK(out == std::vector<double>{0.02, 0.10, 0.20});
  model.predict_at(request, offers, 1, out);
  CHECK(out == std::vector<double>{0.02 * 0.5, 0.10 * 0.5, 0.20 * 0.5});
  const std::vector<int> slots{2, 0, 1};
  model.predict_shown(request, offers, slots, out);
  CHECK(out == std::vector<double>{0.02 * (1.0 / 3), 0.10, 0.20 * 0.5});
  CHECK(model.uses_slot());
}

TEST_CASE("the oracle's conversion model is the true conversion probability", "[models][oracle]") {
  const HandTruth truth;
  const OracleModel model(context(Task::kConversion, &truth));
  const std::vector<std::uint32_t> offers{1, 3};
  std::vector<double> out(2);
  model.predict_at(RequestFeatures{}, offers, 2, out);
  CHECK(out == std::vector<double>{0.2, 0.4});
}

TEST_CASE("the oracle learns nothing and needs a truth", "[models][oracle]") {
  Example clicked;
  clicked.offer = 0;
  clicked.clicked = true;
  clicked.set(Task::kClick, true);
  const HandTruth truth;
  CHECK_FALSE(OracleModel(context(Task::kClick, &truth)).wants(clicked));
  CHECK_FALSE(OracleModel(context(Task::kClick, &truth)).learns());
  CHECK_FALSE(OracleModel(context(Task::kConversion, &truth)).learns());
  CHECK_THROWS_AS(OracleModel(context(Task::kReturn, &truth)), std::invalid_argument);
  const OracleModel blind(context(Task::kClick, nullptr));
  std::vector<double> out(1);
  CHECK_THROWS_AS(blind.predict(RequestFeatures{}, std::vector<std::uint32_t>{0}, out),
                  std::logic_error);
}
