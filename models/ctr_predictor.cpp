#include "models/ctr_predictor.h"

#include <stdexcept>

#include "models/beta_ctr.h"
#include "models/logistic_laplace.h"

namespace marketsim {

namespace {

void require_probabilities(std::span<const double> out) {
  for (double p : out)
    if (!(p >= 0.0 && p <= 1.0)) throw std::logic_error("CtrPredictor: probability outside [0, 1]");
}

}  // namespace

void CtrPredictor::predict(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                           std::span<double> out) const {
  if (offers.size() != out.size()) throw std::logic_error("CtrPredictor: size mismatch");
  do_predict(request, offers, out);
  require_probabilities(out);
}

void CtrPredictor::sample(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                          RngStream& rng, std::span<double> out) const {
  if (offers.size() != out.size()) throw std::logic_error("CtrPredictor: size mismatch");
  do_sample(request, offers, rng, out);
  require_probabilities(out);
}

void CtrPredictor::evidence(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                            std::span<double> out) const {
  if (offers.size() != out.size()) throw std::logic_error("CtrPredictor: size mismatch");
  do_evidence(request, offers, out);
}

void CtrPredictor::do_sample(const RequestFeatures&, std::span<const std::uint32_t>, RngStream&,
                             std::span<double>) const {
  throw std::logic_error("CtrPredictor: this model has no posterior to sample");
}

const CtrPredictorRegistry& ctr_predictor_registry() {
  static const CtrPredictorRegistry registry = [] {
    CtrPredictorRegistry r("ranker");
    register_beta_ctr(r);
    register_logistic_laplace(r);
    return r;
  }();
  return registry;
}

}  // namespace marketsim
