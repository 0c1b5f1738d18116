// WorldTruthView: a world's hidden truth behind the narrow TruthView interface.
#pragma once

#include <vector>

#include "agents/ground_truth.h"
#include "agents/partner.h"
#include "agents/user_population.h"
#include "models/truth_view.h"

namespace marketsim {

// Answers TruthView questions from a world's ground truth, population and partners: the user
// comes from the request's user id and the vertical from its partner (the true ones, whatever
// the serving view shows). What the oracle bookkeeping and the `oracle` model read.
class WorldTruthView final : public TruthView {
 public:
  WorldTruthView(const GroundTruth& truth, const UserPopulation& users,
                 const std::vector<Partner>& partners);

  void click_probabilities(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                           std::span<double> out) const override;
  void conversion_probabilities(std::span<const std::uint32_t> offers,
                                std::span<double> out) const override;
  double position_bias(int slot) const override { return truth_.position_bias(slot); }

 private:
  const GroundTruth& truth_;
  const UserPopulation& users_;
  const std::vector<Partner>& partners_;
  mutable std::vector<float> latent_;  // the last user's latent vector
  mutable std::uint32_t latent_user_ = 0xFFFFFFFFu;
};

}  // namespace marketsim
