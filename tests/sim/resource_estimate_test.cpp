// Tests of the resource estimate: transaction arithmetic, memory scaling, refusal messages.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/scenario/scenario.h"
#include "sim/world/off_policy_log.h"
#include "sim/world/resource_estimate.h"
#include "sim/world/world_spec.h"
#include "tests/sim/estimate_test_support.h"

using namespace marketsim;
using namespace marketsim::estimate_test;

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
  CHECK(single.cpu_seconds ==
        Approx(24000 / kTransactionsPerCpuSecond + 1000 * kPopulationCpuSecondsPerUser));
  CHECK(single.wall_seconds == Approx(single.cpu_seconds));
  // The process, 28 bytes per user (16 for the record at 8 latent dimensions, 4 for the strata
  // index, 8 for the world's state) and 256 per offer creative (one world, no returns or logs).
  const AdvertiserSpec& ads = one.front().advertisers;
  const double creatives =
      static_cast<double>(ads.count * ads.offers_per_advertiser * ads.creatives_per_offer);
  CHECK(single.peak_bytes == Approx(kBaseProcessBytes + 1000 * 28.0 + creatives * 256));

  const std::vector<WorldSpec> four = cell_worlds(parse(kFlat, {"run.replications=4"}));
  const ResourceEstimate threaded = estimate_resources(four, 2);
  CHECK(threaded.transactions == Approx(4 * 24000));
  CHECK(threaded.wall_seconds == Approx(threaded.cpu_seconds / 2));
  CHECK(threaded.peak_bytes > single.peak_bytes);
  // A shard of two runs half the replications.
  CHECK(estimate_resources(four, 2, 2).transactions == Approx(2 * 24000));
}

TEST_CASE("building the populations adds CPU per user and replication, once per population") {
  // Few transactions, many users: the build is most of the run.
  const std::vector<std::string> big = {"users.count=2000000", "run.replications=3",
                                        "partners.transactions_per_hour=1.0"};
  const double transactions = 3 * 240 / kTransactionsPerCpuSecond;
  const auto cpu = [&](const std::string& extra) {
    std::vector<std::string> overrides = big;
    std::string text = kFlat + extra;
    return estimate_resources(cell_worlds(parse(text, overrides)), 1).cpu_seconds;
  };
  CHECK(cpu("") == Approx(transactions + 3 * 2e6 * kPopulationCpuSecondsPerUser));
  // Two cells that differ in a policy share one population per replication.
  const std::string policies =
      "[[cells]]\nname = \"a\"\nset = { \"recommender.explorer.type\" = \"greedy\" }\n"
      "[[cells]]\nname = \"b\"\nset = { \"recommender.explorer.type\" = \"thompson\" }\n";
  CHECK(cpu(policies) == Approx(2 * transactions + 3 * 2e6 * kPopulationCpuSecondsPerUser));
  // Two cells with populations of their own build both, as do two cells whose catalogs differ
  // (a world base holds users, partners and catalog together).
  const std::string populations =
      "[[cells]]\nname = \"a\"\nset = { \"users.latent_dim\" = 8 }\n"
      "[[cells]]\nname = \"b\"\nset = { \"users.latent_dim\" = 16 }\n";
  CHECK(cpu(populations) == Approx(2 * transactions + 2 * 3 * 2e6 * kPopulationCpuSecondsPerUser));
  const std::string catalogs =
      "[[cells]]\nname = \"a\"\nset = { \"advertisers.offers_per_advertiser\" = 2 }\n"
      "[[cells]]\nname = \"b\"\nset = { \"advertisers.offers_per_advertiser\" = 3 }\n";
  CHECK(cpu(catalogs) == Approx(2 * transactions + 2 * 3 * 2e6 * kPopulationCpuSecondsPerUser));
}

TEST_CASE("an experiment's counterfactual worlds count as worlds") {
  // Two arms (the first is the control): with `truth`, one more world per arm, each as costly.
  const std::string experiment = kFlat +
                                 "[[experiments]]\nname = \"e\"\n"
                                 "[[arms]]\nexperiment = \"e\"\nname = \"control\"\n"
                                 "[[arms]]\nexperiment = \"e\"\nname = \"greedy\"\n"
                                 "set = { \"recommender.explorer.type\" = \"greedy\" }\n";
  const auto estimate = [&](const std::string& truth, int threads) {
    return estimate_resources(cell_worlds(parse(experiment, {truth})), threads);
  };
  const ResourceEstimate with = estimate("experiments.0.truth=true", 1);
  const ResourceEstimate without = estimate("experiments.0.truth=false", 1);
  CHECK(without.transactions == Approx(24000));
  CHECK(with.transactions == Approx(3 * 24000));
  // They share the replication's population: it is built once.
  const double population = 1000 * kPopulationCpuSecondsPerUser;
  CHECK(with.cpu_seconds - population == Approx(3 * (without.cpu_seconds - population)));
  // Three worlds to run: two threads are busy even with one replication.
  CHECK(estimate("experiments.0.truth=true", 2).wall_seconds == Approx(with.cpu_seconds / 2));
  CHECK(estimate("experiments.0.truth=false", 2).wall_seconds == Approx(without.cpu_seconds));
  // Each world holds its units' figures: by hand, per user a 4-byte slot and a seen flag, and per
  // enrolled user (all 1,000 transact) its arm and 8 metrics x 8 bytes for the one segment row,
  // twice for the vector's growth; with sessions as units, every transaction is enrolled.
  const double plain = estimate_resources(cell_worlds(parse(kFlat)), 1).peak_bytes;
  CHECK(without.peak_bytes - plain == Approx(1000 * 5.0 + 1000 * (1 + 2 * 8 * 8.0)));
  const ResourceEstimate sessions = estimate_resources(
      cell_worlds(
          parse(experiment, {"experiments.0.truth=false", "experiments.0.unit=\"session\""})),
      1);
  CHECK(sessions.peak_bytes - plain == Approx(24000 * (1 + 2 * 8 * 8.0)));
}

TEST_CASE(
    "sampled logs grow the memory and CPU estimates with traffic and are held for every world") {
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
  // Per logged request, by hand: 2 impressions (their records), 20 candidates (their records,
  // with the per-slot values inline); and one slice of the larger table's columns: here all
  // 48,000 candidate rows (10 + 3 x 2 columns) against 4,800 impression rows (30 columns).
  const double per_candidate = sizeof(CandidateRecord);
  const double per_request = 2 * sizeof(ImpressionRecord) + 20 * per_candidate;
  const double records = 24000 / 10 * per_request;
  CHECK(some.log_bytes == Approx(records + 48000 * 16 * 8.0));
  CHECK(none.log_bytes == 0);
  // The rows a world reserves for them.
  const ExpectedLogRows rows = expected_log_rows(cell_worlds(parse(kFlat, logged)).front());
  CHECK(rows.requests == Approx(2400));
  CHECK(rows.impressions == Approx(2 * 2400));
  CHECK(rows.candidates == Approx(20 * 2400));
  CHECK(expected_log_rows(cell_worlds(parse(kFlat, unlogged)).front()).candidates == 0);
  CHECK(some.peak_bytes - none.peak_bytes == Approx(some.log_bytes));
  // Kept, journaled, tabled and compressed: CPU time by the byte of the records.
  CHECK(some.cpu_seconds - none.cpu_seconds == Approx(records / kLogBytesPerCpuSecond));
  // The generator's k caps the ads (5 and the 2 first-party offers); 4 replications on one thread
  // hold 4 worlds' logs.
  std::vector<std::string> top = logged;
  top.push_back("recommender.candidates.type=content");
  top.push_back("recommender.candidates.content.k=5");
  CHECK(estimate_resources(cell_worlds(parse(kFlat, top)), 1).log_bytes ==
        Approx(24000 / 10 * (per_request - 13 * per_candidate) + 2400 * 7 * 16 * 8.0));
  // Past SlotValues' inline slots the values go to the heap: with 6 slots, three blocks of 6
  // doubles (64 bytes each) per candidate; the slice: 48,000 rows of 10 + 3 x 6 columns.
  std::vector<std::string> six = logged;
  six.back() = "partners.slots=6";
  const double per_request_six =
      6 * sizeof(ImpressionRecord) + 20 * (sizeof(CandidateRecord) + 3 * 64.0);
  CHECK(estimate_resources(cell_worlds(parse(kFlat, six)), 1).log_bytes ==
        Approx(24000 / 10 * per_request_six + 48000 * 28 * 8.0));
  // 4 replications: 4 worlds' records and a slice of all 192,000 candidate rows; 40: 1,920,000
  // candidate rows, their slice capped at 262,144 rows of 16 columns, below the 192,000
  // impression rows of 30 columns, which are then the larger slice.
  std::vector<std::string> four = logged;
  four.push_back("run.replications=4");
  CHECK(estimate_resources(cell_worlds(parse(kFlat, four)), 1).log_bytes ==
        Approx(4 * records + 4 * 48000 * 16 * 8.0));
  four.back() = "run.replications=40";
  CHECK(estimate_resources(cell_worlds(parse(kFlat, four)), 1).log_bytes ==
        Approx(40 * records + 192000 * 30 * 8.0));
  CHECK(262144 * 16 < 192000 * 30);
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
  // The rest is the two esmm models' own state.
  std::vector<std::string> esmm_cell = {"partners.slots=2"};
  esmm_cell.insert(esmm_cell.end(), at_conversion.begin(), at_conversion.end());
  const std::vector<WorldSpec> cells = cell_worlds(parse(kFlat, esmm_cell));
  const RecommenderSpec& r = cells.front().recommender;
  CHECK(peak(at_conversion) - base == Approx(footprint(r.ranker, Task::kClick) +
                                             footprint(r.conversion_model, Task::kConversion)));
  // An off-policy target gets its own copy of every label.
  const std::string target =
      kFlat + "[[ope]]\nname = \"greedy\"\nset = { \"recommender.explorer.type\" = \"greedy\" }\n";
  const auto target_peak = [&](const std::string& delay) {
    return estimate_resources(
               cell_worlds(parse(target, {"partners.slots=2", "run.log_every=10", delay})), 1)
        .peak_bytes;
  };
  CHECK(target_peak("run.click_label_delay_h=3.0") - target_peak("run.click_label_delay_h=0.0") ==
        Approx(2 * 2000 * 3.0 * 192));
}
