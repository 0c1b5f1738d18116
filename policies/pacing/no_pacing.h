// NoPacing: advertisers bid in full until their budget runs out.
#pragma once

#include "policies/pacing/pacer.h"

namespace marketsim {

// Every advertiser takes part in every request with multiplier 1; budgets simply run out.
class NoPacing final : public Pacer {
 public:
  bool neutral() const override { return true; }

 private:
  void do_update(const PacingView&) override {}
  double do_participation(std::uint32_t, RngStream&) override { return 1.0; }
};

// Adds "none" to the registry.
void register_no_pacing(PacerRegistry& registry);

}  // namespace marketsim
