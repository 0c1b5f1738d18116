#include "sim/world/world_truth_view.h"

namespace marketsim {

WorldTruthView::WorldTruthView(const GroundTruth& truth, const UserPopulation& users,
                               const std::vector<Partner>& partners)
    : truth_(truth),
      users_(users),
      partners_(partners),
      latent_(static_cast<std::size_t>(users.latent_dim())) {}

void WorldTruthView::click_probabilities(const RequestFeatures& request,
                                         std::span<const std::uint32_t> offers,
                                         std::span<double> out) const {
  if (request.user != latent_user_) {
    users_.latent(request.user, latent_);
    latent_user_ = request.user;
  }
  const TruthContext ctx{&users_[request.user], latent_, partners_[request.partner].vertical};
  truth_.base_click_probabilities(ctx, offers, out);
}

void WorldTruthView::conversion_probabilities(std::span<const std::uint32_t> offers,
                                              std::span<double> out) const {
  for (std::size_t i = 0; i < offers.size(); ++i) out[i] = truth_.conversion_probability(offers[i]);
}

}  // namespace marketsim
