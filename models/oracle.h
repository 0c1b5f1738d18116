// OracleModel: the truth-aware model — not a deployable policy.
#pragma once

#include "models/predictor.h"

namespace marketsim {

// The registry name of the truth-aware model.
inline constexpr const char* kOracleModel = "oracle";

// Predicts the true probability of its task (a click in the slot, or a conversion given a
// click) by reading the simulator's truth through PredictorContext::truth; learns nothing. For
// upper-bound cells and for comparisons with simulators that rank by the true CTR: no real
// system can serve it. Built without a truth (when a scenario is only validated) it serves
// nothing and throws std::logic_error on predict. Knows no return probabilities: building it for
// Task::kReturn throws std::invalid_argument.
class OracleModel final : public Predictor {
 public:
  explicit OracleModel(const PredictorContext& context);

  bool uses_slot() const override { return true; }
  bool learns() const override { return false; }

 private:
  void do_predict(const RequestFeatures& request, std::span<const std::uint32_t> offers, int slot,
                  std::span<double> out) const override;
  void do_predict_shown(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                        std::span<const int> slots, std::span<double> out) const override;
  bool does_learn(const Example&) const override { return false; }
  void do_train(std::span<const Example>) override {}
  void do_reset() override {}

  const TruthView& truth() const;

  const TruthView* truth_;
};

// Adds "oracle" to the registry.
void register_oracle(PredictorRegistry& registry);

}  // namespace marketsim
