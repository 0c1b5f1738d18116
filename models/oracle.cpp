// OracleModel: predictions read from the simulator's truth.
#include "models/oracle.h"

#include <stdexcept>

#include "models/truth_view.h"

namespace marketsim {

OracleModel::OracleModel(const PredictorContext& context)
    : Predictor(context.task, context.features.reference_slot), truth_(context.truth) {
  if (context.task == Task::kReturn)
    throw std::invalid_argument(
        "the oracle knows click and conversion probabilities, not return visits");
}

const TruthView& OracleModel::truth() const {
  if (truth_ == nullptr) throw std::logic_error("OracleModel: built without a truth to read");
  return *truth_;
}

void OracleModel::do_predict(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                             int slot, std::span<double> out) const {
  if (task() == Task::kConversion) {
    truth().conversion_probabilities(offers, out);
    return;
  }
  truth().click_probabilities(request, offers, out);
  const double bias = truth().position_bias(slot);
  for (double& p : out) p *= bias;
}

void OracleModel::do_predict_shown(const RequestFeatures& request,
                                   std::span<const std::uint32_t> offers,
                                   std::span<const int> slots, std::span<double> out) const {
  if (task() == Task::kConversion) {
    truth().conversion_probabilities(offers, out);
    return;
  }
  truth().click_probabilities(request, offers, out);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] *= truth().position_bias(slots[i]);
}

void register_oracle(PredictorRegistry& registry) {
  registry.add({kOracleModel,
                "NOT DEPLOYABLE (ranker, conversion_model): the true click (in the slot) or "
                "conversion probability, read from the simulator's truth; learns nothing",
                {}},
               [](const ParamValues&, const PredictorContext& context) {
                 return std::make_unique<OracleModel>(context);
               });
}

}  // namespace marketsim
