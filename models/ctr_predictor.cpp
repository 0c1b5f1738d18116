#include "models/ctr_predictor.h"

#include <stdexcept>

#include "models/beta_ctr.h"

namespace marketsim {

void CtrPredictor::predict(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                           std::span<double> out) const {
  if (offers.size() != out.size()) throw std::logic_error("CtrPredictor: size mismatch");
  do_predict(request, offers, out);
  for (double p : out)
    if (!(p >= 0.0 && p <= 1.0)) throw std::logic_error("CtrPredictor: probability outside [0, 1]");
}

const CtrPredictorRegistry& ctr_predictor_registry() {
  static const CtrPredictorRegistry registry = [] {
    CtrPredictorRegistry r("ranker");
    register_beta_ctr(r);
    return r;
  }();
  return registry;
}

}  // namespace marketsim
