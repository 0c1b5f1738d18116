// CheapModel: the top k of a cheap CTR model trained on the run's own logs.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/ctr_predictor.h"
#include "policies/candidates/candidate_generator.h"
#include "policies/candidates/top_k.h"

namespace marketsim {

// Stage 1 by a small model: owns a CTR predictor (any registered one, built with its declared
// defaults), trains it in learn() and keeps the k eligible ads with the highest bid x predicted
// CTR, ties to the higher bid, then the lower offer id, plus the partner's eligible first-party
// offers. For CPC ads that is the expected revenue per impression; for CPA and CPM ads, whose
// bids are not per click, it is only a rough proxy (stage 1 has no conversion model). learn()
// gets no slot, so the model learns every impression as if shown in the top slot.
class CheapModel final : public CandidateGenerator {
 public:
  CheapModel(int k, std::unique_ptr<CtrPredictor> model, const CandidateContext& context);

  void learn(const Request& request, std::uint32_t offer, int slot, bool clicked) override;

 private:
  void do_generate(const Request& request, const MarketView& market,
                   std::vector<std::uint32_t>& out) override;

  std::unique_ptr<CtrPredictor> model_;
  std::vector<std::uint32_t> ads_;  // reused buffers
  std::vector<double> pctr_;
  TopK top_;
};

// Adds "cheap_model" to the registry.
void register_cheap_model(CandidateGeneratorRegistry& registry);

}  // namespace marketsim
