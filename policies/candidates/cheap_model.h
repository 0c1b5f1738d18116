// CheapModel: the top k of a cheap CTR model trained on the run's own logs.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/predictor.h"
#include "policies/candidates/candidate_generator.h"
#include "policies/candidates/top_k.h"

namespace marketsim {

// Stage 1 by a small model: owns a click model (any registered model that learns online, built
// with its declared defaults and the default feature pipeline), trains it on every impression in
// learn() (with the slot it was shown in) and keeps the k eligible ads with the highest bid x
// predicted CTR (at the top slot), ties to the higher bid, then the lower offer id, plus the
// partner's eligible first-party offers. For CPC ads that is the expected revenue per
// impression; for CPA and CPM ads, whose bids are not per click, it is only a rough proxy
// (stage 1 has no conversion model).
class CheapModel final : public CandidateGenerator {
 public:
  CheapModel(int k, std::unique_ptr<Predictor> model, const CandidateContext& context);

  void learn(const Request& request, std::uint32_t offer, int slot, bool clicked) override;

 private:
  void do_generate(const Request& request, const MarketView& market,
                   std::vector<std::uint32_t>& out) override;

  std::unique_ptr<Predictor> model_;
  std::vector<std::uint32_t> ads_;  // reused buffers
  std::vector<double> pctr_;
  TopK top_;
};

// Adds "cheap_model" to the registry.
void register_cheap_model(CandidateGeneratorRegistry& registry);

}  // namespace marketsim
