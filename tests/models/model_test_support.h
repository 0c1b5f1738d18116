// A small catalog and the model contexts built over it, for the model and explorer tests.
#pragma once

#include <cstdint>
#include <vector>

#include "models/predictor.h"

namespace marketsim::testing {

// `n` offers, offer i of product i, advertiser i / 2, category i % 4, creative type i % 3. Owns
// the attributes a PredictorContext points into, so it must outlive the models built on it.
struct TestCatalog {
  explicit TestCatalog(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      offers.push_back(OfferFeatures{
          static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i / 2),
          static_cast<std::uint16_t>(i % 4), static_cast<std::uint8_t>(i % 3), 0, 0, 0});
  }

  // The context of a model of `task` with `features` (the declared defaults unless given).
  PredictorContext context(
      Task task = Task::kClick,
      FeatureSpec features = FeatureSpec::from(defaults_of(FeatureSpec::declare()))) const {
    return PredictorContext{task, offers, std::move(features), ReplicationKey{7, 0}, 1};
  }

  std::vector<OfferFeatures> offers;
};

}  // namespace marketsim::testing
