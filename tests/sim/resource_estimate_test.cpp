// Tests of the resource estimate: transaction arithmetic, memory scaling, refusal messages.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/core/error.h"
#include "sim/scenario/scenario.h"
#include "sim/world/off_policy_log.h"
#include "sim/world/resource_estimate.h"
#include "sim/world/world_spec.h"

using namespace marketsim;

namespace {

Scenario parse(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return parse_scenario(text, "s.toml", overrides, scenario_schema());
}

// Flat profiles, no dispersion: 10 partners x 100/h x 24 h = 24,000 organic transactions.
const std::string kFlat =
    "[run]\nduration_h = 24.0\nlog_every = 0\noracle_every = 0\nlatency_sample_every = 0\n"
    "[users]\ncount = 1000\nreturn_rate_per_day = 0.0\n"
    "[partners]\ncount = 10\ntransactions_per_hour = 100.0\nrate_dispersion = 0.0\n"
    "hourly_profile = [" +
    [] {
      std::string ones;
      for (int h = 0; h < 24; ++h) ones += h ? ", 1.0" : "1.0";
      return ones;
    }() +
    "]\nweekly_profile = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]\n";

}  // namespace

TEST_CASE("expected transactions are organic arrivals times the return chains") {
  CHECK(expected_transactions(cell_worlds(parse(kFlat)).front()) == Approx(24000));
  // One return a day at the initial satisfaction: each transaction chains 24 h x 1/24 / 2 more.
  const WorldSpec returning = cell_worlds(parse(kFlat, {"users.return_rate_per_day=1.0"})).front();
  CHECK(expected_transactions(returning) == Approx(24000 * 1.5));
}

TEST_CASE("the estimate scales with replications, cells and threads") {
  const std::vector<WorldSpec> one = cell_worlds(parse(kFlat));
  const ResourceEstimate single = estimate_resources(one, 1);
  CHECK(single.transactions == Approx(24000));
  CHECK(single.cpu_seconds == Approx(24000 / kTransactionsPerCpuSecond));
  CHECK(single.wall_seconds == Approx(single.cpu_seconds));
  // The process, 44 bytes per user and 256 per offer creative (one world, no returns or logs).
  const AdvertiserSpec& ads = one.front().advertisers;
  const double creatives =
      static_cast<double>(ads.count * ads.offers_per_advertiser * ads.creatives_per_offer);
  CHECK(single.peak_bytes == Approx(kBaseProcessBytes + 1000 * 44.0 + creatives * 256));

  const std::vector<WorldSpec> four = cell_worlds(parse(kFlat, {"run.replications=4"}));
  const ResourceEstimate threaded = estimate_resources(four, 2);
  CHECK(threaded.transactions == Approx(4 * 24000));
  CHECK(threaded.wall_seconds == Approx(threaded.cpu_seconds / 2));
  CHECK(threaded.peak_bytes > single.peak_bytes);
  // A shard of two runs half the replications.
  CHECK(estimate_resources(four, 2, 2).transactions == Approx(2 * 24000));
}

TEST_CASE("sampled logs grow the memory estimate with traffic and are held for every world") {
  // 4 advertisers x 3 offers x 2 creatives of which a quarter blocked in expectation, and 2
  // first-party offers: 20 candidates per request; 2 slots; log one request in 10.
  const std::vector<std::string> logged{"run.log_every=10",
                                        "advertisers.count=4",
                                        "advertisers.offers_per_advertiser=3",
                                        "advertisers.creatives_per_offer=2",
                                        "partners.block_probability=0.25",
                                        "partners.first_party_offers=2",
                                        "partners.slots=2"};
  std::vector<std::string> unlogged = logged;
  unlogged.front() = "run.log_every=0";
  const ResourceEstimate none = estimate_resources(cell_worlds(parse(kFlat, unlogged)), 1);
  const ResourceEstimate some = estimate_resources(cell_worlds(parse(kFlat, logged)), 1);
  // Per logged request, by hand: 2 impressions (record + 30 columns), 20 candidates (record,
  // three per-slot vectors of 2 doubles in 32-byte heap blocks, 10 + 3 x 2 columns).
  const double per_request = 2 * (sizeof(ImpressionRecord) + 30 * 8.0) +
                             20 * (sizeof(CandidateRecord) + 3 * 32.0 + 16 * 8.0);
  CHECK(some.log_bytes == Approx(24000 / 10 * per_request));
  CHECK(none.log_bytes == 0);
  CHECK(some.peak_bytes - none.peak_bytes == Approx(some.log_bytes));
  // The generator's k caps the ads (5 and the 2 first-party offers); 4 replications on one thread
  // hold 4 worlds' logs.
  std::vector<std::string> top = logged;
  top.push_back("recommender.candidates.type=content");
  top.push_back("recommender.candidates.content.k=5");
  CHECK(estimate_resources(cell_worlds(parse(kFlat, top)), 1).log_bytes ==
        Approx(24000 / 10 * (per_request - 13 * (sizeof(CandidateRecord) + 3 * 32.0 + 16 * 8.0))));
  std::vector<std::string> four = logged;
  four.push_back("run.replications=4");
  CHECK(estimate_resources(cell_worlds(parse(kFlat, four)), 1).log_bytes ==
        Approx(4 * some.log_bytes));
}

TEST_CASE("absurd scenarios are refused naming the key and the estimate") {
  const Scenario memory = parse(
      kFlat, {"run.log_every=1", "partners.transactions_per_hour=1e9", "run.duration_h=1000"});
  CHECK_THROWS_WITH(check_resources(memory, cell_worlds(memory), 1),
                    Catch::Contains("run.log_every: needs more memory") &&
                        Catch::Contains("estimated peak memory"));
  const Scenario cpu = parse(kFlat, {"partners.transactions_per_hour=1e8", "run.duration_h=10000"});
  CHECK_THROWS_WITH(check_resources(cpu, cell_worlds(cpu), 1),
                    Catch::Contains("run.duration_h: above the cap"));
  CHECK_NOTHROW(check_resources(parse(kFlat), cell_worlds(parse(kFlat)), 1));
}

TEST_CASE("describe prints memory, CPU, wall time and transactions on one line") {
  ResourceEstimate e;
  e.transactions = 9.6e6;
  e.peak_bytes = 1.2e9;
  e.cpu_seconds = 32;
  e.wall_seconds = 16;
  CHECK(describe(e, 2) ==
        "estimated peak memory 1.2 GB, CPU 32 s (16 s on 2 threads), 9.6e+06 transactions");
}

TEST_CASE("labels waiting to mature grow the memory estimate") {
  // 10 partners x 100/h x 2 slots: 2,000 impressions an hour, 192 bytes a waiting label.
  const auto peak = [](const std::vector<std::string>& overrides) {
    std::vector<std::string> all = {"partners.slots=2"};
    all.insert(all.end(), overrides.begin(), overrides.end());
    return estimate_resources(cell_worlds(parse(kFlat, all)), 1).peak_bytes;
  };
  const double base = peak({});
  CHECK(peak({"run.click_label_delay_h=3.0"}) - base == Approx(2000 * 3.0 * 192));
  CHECK(peak({"run.click_label_delay_h=30.0"}) == Approx(base));  // they would mature after the run
  // A model that learns conversions on every impression: each conversion label waits for the
  // window's end; with "at_conversion" only the clicked ones do (not counted).
  const std::vector<std::string> esmm = {"recommender.ranker.type=\"esmm\"",
                                         "recommender.conversion_model.type=\"esmm\"",
                                         "run.attribution_window_h=6.0"};
  std::vector<std::string> at_conversion = esmm;
  at_conversion.push_back("run.conversion_labels=\"at_conversion\"");
  CHECK(peak(esmm) - peak(at_conversion) == Approx(2000 * 6.0 * 192));
  CHECK(peak(at_conversion) == Approx(base));
}
