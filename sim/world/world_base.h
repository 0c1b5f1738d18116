// WorldBase: the part of a replication's world that no policy changes, shared by its cells.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "agents/advertiser.h"
#include "agents/partner.h"
#include "agents/user_population.h"
#include "models/offer_features.h"
#include "sim/world/world_base_signature.h"
#include "sim/world/world_spec.h"

namespace marketsim {

// The users' traits, the partners and the catalog of one replication: built once from
// (spec, key) and read-only afterwards, so every world of the replication whose cell agrees on
// the keys that define them (world_base_signature) runs over one copy. What policies change
// (satisfaction, visits, budgets, the truth's drift) stays in each World.
struct WorldBase {
  std::shared_ptr<const PopulationTraits> users;
  std::vector<Partner> partners;
  AdvertiserMarket market;
  std::vector<OfferFeatures> offer_features;  // the catalog as models see it

  // `stop`: see PopulationTraits (throws BuildInterrupted).
  static std::shared_ptr<const WorldBase> build(const WorldSpec& spec, ReplicationKey key,
                                                const std::atomic<bool>* stop = nullptr);
};

}  // namespace marketsim
