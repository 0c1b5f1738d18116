#include "sim/world/world_base.h"

#include "policies/observable_offers.h"

namespace marketsim {

std::shared_ptr<const WorldBase> WorldBase::build(const WorldSpec& spec, ReplicationKey key,
                                                  const std::atomic<bool>* stop) {
  auto base = std::make_shared<WorldBase>();
  base->users = std::make_shared<const PopulationTraits>(spec.users, key, stop);
  base->partners = make_partners(spec.partners, static_cast<int>(spec.advertisers.categories), key);
  base->market = make_market(spec.advertisers, base->partners, spec.partners,
                             static_cast<int>(spec.users.latent_dim), key);
  base->offer_features = observable_features(base->market.offers);
  return base;
}

}  // namespace marketsim
