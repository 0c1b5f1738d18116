// Every registered auction, on random (explored, tied, zero-quality) slates: the pricing contract.
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <numeric>
#include <vector>

#include "policies/auction/auction.h"
#include "sim/core/rng.h"

using namespace marketsim;

TEST_CASE("every auction prices within [0, bid], at or above the reserve, deterministically",
          "[policies][auction]") {
  RngStream rng(ReplicationKey{3, 0}, "test.auction.conformance", 0);
  boost::random::uniform_01<double> unit;
  for (const auto& info : auction_registry().components()) {
    for (const bool quality_weighted : {true, false}) {
      ParamValues params = defaults_of(info.params);
      if (!params.contains("quality_weighted") && !quality_weighted) continue;
      if (params.contains("quality_weighted"))
        params.set("quality_weighted", ParamValue{std::in_place_type<bool>, quality_weighted});
      auto auction = auction_registry().create(info.name, params);
      auto twin = auction_registry().create(info.name, params);
      for (int t = 0; t < 2000; ++t) {
        const int n = boost::random::uniform_int_distribution<int>(1, 8)(rng);
        std::vector<double> bids(n), quality(n);
        for (int i = 0; i < n; ++i) {
          // Rounded bids make ties common; a few candidates have zero quality.
          bids[i] = std::round(unit(rng) * 12) / 4;
          quality[i] = unit(rng) < 0.1 ? 0.0 : unit(rng) * 0.2;
        }
        Slate slate;  // any order: explorers may show a lower score above a higher one
        slate.order.resize(n);
        std::iota(slate.order.begin(), slate.order.end(), 0);
        for (int i = n - 1; i > 0; --i)
          std::swap(slate.order[i],
                    slate.order[boost::random::uniform_int_distribution<int>(0, i)(rng)]);
        slate.shown = std::min(n, boost::random::uniform_int_distribution<int>(1, 4)(rng));
        slate.order.resize(std::min<std::size_t>(n, slate.shown + (unit(rng) < 0.8 ? 1 : 0)));
        const double reserve = unit(rng) < 0.3 ? 0.0 : unit(rng);
        const AuctionInput input{bids, quality, &slate, reserve};
        AuctionResult result, again, fresh;
        INFO(info.name << ", quality_weighted = " << quality_weighted << ", instance " << t);
        REQUIRE_NOTHROW(auction->clear(input, result));
        REQUIRE(result.price_per_click.size() == static_cast<std::size_t>(slate.shown));
        const bool has_runner_up = static_cast<int>(slate.order.size()) > slate.shown;
        CHECK(result.runner_up == (has_runner_up ? slate.order[slate.shown] : -1));
        for (int s = 0; s < slate.shown; ++s) {
          const double bid = bids[slate.order[s]], price = result.price_per_click[s];
          CHECK(price >= 0.0);
          CHECK(price <= bid);
          if (bid >= reserve) CHECK(price >= reserve);
        }
        auction->clear(input, again);
        twin->clear(input, fresh);
        CHECK(again.price_per_click == result.price_per_click);
        CHECK(fresh.price_per_click == result.price_per_click);
        CHECK(fresh.runner_up == result.runner_up);
      }
    }
  }
}
