#include "sim/world/resource_estimate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>
#include <string>

#include <unistd.h>

#include "agents/user_population.h"
#include "analysis/output/results_file.h"
#include "sim/core/error.h"
#include "sim/core/event_queue.h"
#include "sim/world/experiment_tracker.h"
#include "sim/world/model_estimate.h"
#include "sim/world/off_policy_log.h"
#include "sim/world/recommender.h"

namespace marketsim {
namespace {

// Bytes per user of each world's own state (bench/population_memory); the traits, shared by the
// cells of a replication, are PopulationTraits::bytes_per_user.
constexpr double kOwnBytesPerUser = 8;
// A pending return visit in a world's event queue; at most one per user.
constexpr double kBytesPerPendingReturn = 32;
// One offer creative in the catalog and in the models' view of it (features, embedding).
constexpr double kBytesPerCreative = 256;
// Bytes of a heap block of `bytes` (glibc: 8 bytes of header, rounded up to 16, at least 32).
double heap_block(double bytes) { return std::max(32.0, std::ceil((bytes + 8) / 16) * 16); }
// One sampled transaction of the oracle or of the latency recorder.
constexpr double kBytesPerSample = 64;
// Columns of /impressions and of /candidates besides the three per slot (sim/runner/log_tables).
constexpr double kImpressionColumns = 30;
constexpr double kCandidateColumns = 10;
// A label waiting to mature in a world's queue (with its time and sequence), twice for the
// queue's growth.
constexpr double kBytesPerPendingLabel = 2.0 * sizeof(EventQueue<PendingLabel>::Entry);

// Hours of base rate in [0, duration_h): the hourly and weekly multipliers summed hour by hour.
double profiled_hours(const PartnerSpec& partners, double duration_h) {
  double hours = 0;
  std::size_t h = 0;
  for (; static_cast<double>(h + 1) <= duration_h; ++h) hours += profile_multiplier(partners, h);
  return hours + (duration_h - static_cast<double>(h)) * profile_multiplier(partners, h);
}

// The most labels a world holds waiting to mature, queued for its recommender and again for each
// off-policy target: each impression's click label for the click delay and, when a model learns
// conversions on every impression (esmm) and they mature at the window's end, each impression's
// conversion label for the attribution window. A label that would mature after the run is never
// queued. The labels of clicks alone (conversions, returns) are left out: a few per cent of the
// impressions.
double pending_labels(const WorldSpec& spec, double transactions) {
  const RunSpec& run = spec.run;
  if (run.duration_h <= 0) return 0;
  const double impressions_per_hour =
      transactions / run.duration_h * static_cast<double>(spec.partners.slots);
  const auto waiting_h = [&](double delay_h) { return delay_h < run.duration_h ? delay_h : 0.0; };
  const auto learns_every_impression = [](const RecommenderSpec& r) {
    return r.ranker.learns_unclicked_conversions ||
           r.conversion_model.learns_unclicked_conversions ||
           r.user_value_model.learns_unclicked_conversions;
  };
  const auto& arms = spec.combinations.recommenders;  // an experiment's arms may differ
  double every_impression = learns_every_impression(spec.recommender) ||
                                    std::any_of(arms.begin(), arms.end(), learns_every_impression)
                                ? 1.0
                                : 0.0;
  for (const OpeTarget& target : spec.ope_targets)
    every_impression += learns_every_impression(target.recommender) ? 1.0 : 0.0;
  const auto recipients = static_cast<double>(1 + spec.ope_targets.size());
  double label_hours = recipients * waiting_h(run.click_label_delay_h);
  if (run.conversion_labels_at_window_end)
    label_hours +=
        every_impression * waiting_h(std::max(run.click_label_delay_h, run.attribution_window_h));
  return impressions_per_hour * label_hours;
}

// Bytes of one world's off-policy logs (run.log_every), held until the file is written: per
// logged request its shown slots, each candidate with its three per-slot probability vectors (on
// the heap only past SlotValues' inline slots), and each off-policy target's record.
double log_bytes(const WorldSpec& spec) {
  if (spec.run.log_every <= 0) return 0;
  const double slots = static_cast<double>(spec.partners.slots);
  const double per_slot_vector = heap_block(8 * slots);
  const double per_slot_values =
      spec.partners.slots > static_cast<std::int64_t>(SlotValues::static_capacity) ? per_slot_vector
                                                                                   : 0.0;
  const double impression = sizeof(ImpressionRecord);
  const double candidate = sizeof(CandidateRecord) + 3 * per_slot_values;
  const double target = sizeof(TargetRecord) + per_slot_vector;
  const ExpectedLogRows rows = expected_log_rows(spec);
  return rows.impressions * impression + rows.candidates * candidate +
         rows.requests * static_cast<double>(spec.ope_targets.size()) * target;
}

// Bytes of the log tables' columns while the file is written: one slice of rows of the larger
// of /impressions and /candidates (written one after the other), `impressions` and `candidates`
// rows in all, at most `slots` slots.
double log_table_bytes(double impressions, double candidates, double slots) {
  const double slice = static_cast<double>(kTableSliceRows);
  return sizeof(double) * std::max(std::min(impressions, slice) * kImpressionColumns,
                                   std::min(candidates, slice) * (kCandidateColumns + 3 * slots));
}

// Bytes of a world's experiment figures (sim/world/experiment_tracker.h): per unit of the
// population (users or partners) its slot and a seen flag; per enrolled unit, its arm and every
// metric's sum per segment row (8 bytes each), twice for the growth of the vector that holds
// them. Enrolled: at most the units that transact, min(units, transactions), and with sessions
// as units every transaction.
double experiment_bytes(const WorldSpec& spec, double transactions) {
  double bytes = 0;
  for (const ExperimentSpec& e : spec.experiments) {
    double population = 0;
    if (e.unit == ExperimentUnit::kUser) population = static_cast<double>(spec.users.count);
    if (e.unit == ExperimentUnit::kPartner) population = static_cast<double>(spec.partners.count);
    const double enrolled =
        e.unit == ExperimentUnit::kSession ? transactions : std::min(population, transactions);
    const auto segments = static_cast<double>(segment_names(e.segment, spec.run.duration_h).size());
    bytes += population * (sizeof(std::int32_t) + 1) +
             enrolled * (1 + 2 * segments * kUnitMetricCount * sizeof(double));
  }
  return bytes;
}

// Bytes one world holds while it runs beyond the shared traits, its models and its logs, with
// `transactions` expected.
double world_bytes(const WorldSpec& spec, double transactions) {
  const double users = static_cast<double>(spec.users.count);
  double bytes = users * kOwnBytesPerUser + experiment_bytes(spec, transactions);
  if (spec.users.return_rate_per_day > 0) bytes += users * kBytesPerPendingReturn;
  if (spec.run.oracle_every > 0)
    bytes += transactions / static_cast<double>(spec.run.oracle_every) * kBytesPerSample;
  if (spec.run.latency_sample_every > 0)
    bytes += transactions / static_cast<double>(spec.run.latency_sample_every) * kBytesPerSample;
  return bytes + pending_labels(spec, transactions) * kBytesPerPendingLabel;
}

// Bytes of one replication's shared base: traits and catalog.
double base_bytes(const WorldSpec& spec) {
  const double creatives = static_cast<double>(spec.advertisers.count) *
                           static_cast<double>(spec.advertisers.offers_per_advertiser) *
                           static_cast<double>(spec.advertisers.creatives_per_offer);
  return static_cast<double>(spec.users.count) *
             PopulationTraits::bytes_per_user(spec.users.latent_dim) +
         creatives * kBytesPerCreative;
}

// "1.2 GB", "350 MB".
std::string format_bytes(double bytes) {
  char text[32];
  if (bytes >= 1e12)
    std::snprintf(text, sizeof text, "%.3g TB", bytes / 1e12);
  else if (bytes >= 1e9)
    std::snprintf(text, sizeof text, "%.3g GB", bytes / 1e9);
  else
    std::snprintf(text, sizeof text, "%.3g MB", bytes / 1e6);
  return text;
}

// "35 s", "4.2 h", "3.1 days".
std::string format_seconds(double seconds) {
  char text[32];
  if (seconds >= 2 * 86400)
    std::snprintf(text, sizeof text, "%.3g days", seconds / 86400);
  else if (seconds >= 2 * 3600)
    std::snprintf(text, sizeof text, "%.3g h", seconds / 3600);
  else
    std::snprintf(text, sizeof text, "%.3g s", seconds);
  return text;
}

// The worlds of one cell in one replication: its own, and with an experiment's `truth` one
// counterfactual world per arm (every unit in that arm), which costs as much.
double worlds_of(const WorldSpec& cell) {
  double worlds = 1;
  for (const ExperimentSpec& e : cell.experiments)
    if (e.truth) worlds += static_cast<double>(e.arms.size());
  return worlds;
}

// Users whose traits one replication builds: once per world base (cells with the same
// base_signature share one).
double users_built_per_replication(const std::vector<WorldSpec>& cells) {
  std::set<std::string> bases;
  double users = 0;
  for (const WorldSpec& cell : cells)
    if (bases.insert(cell.base_signature).second) users += static_cast<double>(cell.users.count);
  return users;
}

}  // namespace

double expected_transactions(const WorldSpec& spec) {
  const double organic = static_cast<double>(spec.partners.count) *
                         spec.partners.transactions_per_hour *
                         profiled_hours(spec.partners, spec.run.duration_h);
  const double returns_per_transaction =
      spec.users.return_rate_per_day / 24.0 * spec.run.duration_h / 2.0;
  return organic * (1.0 + returns_per_transaction);
}

ExpectedLogRows expected_log_rows(const WorldSpec& spec) {
  ExpectedLogRows rows;
  if (spec.run.log_every <= 0) return rows;
  double candidates = candidates_per_request(spec, spec.recommender);
  for (const RecommenderSpec& arm : spec.combinations.recommenders)
    candidates = std::max(candidates, candidates_per_request(spec, arm));
  rows.requests = expected_transactions(spec) / static_cast<double>(spec.run.log_every);
  rows.impressions = rows.requests * static_cast<double>(spec.partners.slots);
  rows.candidates = rows.requests * candidates;
  return rows;
}

ResourceEstimate estimate_resources(const std::vector<WorldSpec>& cells, int threads,
                                    std::size_t shards) {
  ResourceEstimate estimate;
  if (cells.empty()) return estimate;
  const double replications = std::ceil(static_cast<double>(cells.front().run.replications) /
                                        static_cast<double>(std::max<std::size_t>(shards, 1)));
  double worlds_per_replication = 0;
  for (const WorldSpec& cell : cells) worlds_per_replication += worlds_of(cell);
  const double worlds = replications * worlds_per_replication;
  const double busy = std::max(1.0, std::min(static_cast<double>(threads), worlds));
  // Worlds run replication by replication, so the busy threads span this many replications.
  const double replications_alive =
      std::min(replications, std::ceil(busy / worlds_per_replication) + (busy > 1 ? 1 : 0));
  double largest_world = 0, transactions = 0, logs = 0, network_seconds = 0;
  double logged_impressions = 0, logged_candidates = 0, slots = 0;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const WorldSpec& cell = cells[c];
    const double t = expected_transactions(cell);
    transactions += t * worlds_of(cell);
    const ModelCost models = model_cost(cell, t);
    const double world = world_bytes(cell, t) + models.bytes;
    if (world > largest_world) {
      largest_world = world;
      estimate.model_bytes = models.bytes;
      estimate.largest_model_key = models.largest_key;
      estimate.largest_model_cell = c;
      estimate.largest_model_recommender = models.largest_recommender;
    }
    logs += log_bytes(cell);  // a counterfactual world keeps only its experiment figures
    const ExpectedLogRows rows = expected_log_rows(cell);
    logged_impressions += rows.impressions * replications;
    logged_candidates += rows.candidates * replications;
    slots = std::max(slots, static_cast<double>(cell.partners.slots));
    network_seconds += models.cpu_seconds * worlds_of(cell);
  }
  estimate.model_bytes *= busy;
  estimate.transactions = transactions * replications;
  // Every world's logs stay until the end (freed worlds' memory stays with the process), and the
  // tables are written from them a slice at a time.
  const double log_records = logs * replications;
  estimate.log_bytes = log_records + log_table_bytes(logged_impressions, logged_candidates, slots);
  estimate.peak_bytes = kBaseProcessBytes + replications_alive * base_bytes(cells.front()) +
                        busy * largest_world + estimate.log_bytes;
  estimate.cpu_seconds =
      estimate.transactions / kTransactionsPerCpuSecond + network_seconds * replications +
      users_built_per_replication(cells) * kPopulationCpuSecondsPerUser * replications +
      log_records / kLogBytesPerCpuSecond;
  estimate.wall_seconds = estimate.cpu_seconds / busy;
  return estimate;
}

std::string describe(const ResourceEstimate& estimate, int threads) {
  char text[160];
  std::snprintf(text, sizeof text, "%.3g transactions", estimate.transactions);
  return "estimated peak memory " + format_bytes(estimate.peak_bytes) + ", CPU " +
         format_seconds(estimate.cpu_seconds) + " (" + format_seconds(estimate.wall_seconds) +
         " on " + std::to_string(threads) + (threads == 1 ? " thread), " : " threads), ") + text;
}

namespace {

// Raises the refusal `message` at the model the estimate found largest: at its key in its cell
// (where the cell or the file chose it), or at the arm or off-policy target whose recommender
// holds it.
[[noreturn]] void fail_for_model(const Scenario& scenario, const std::vector<WorldSpec>& cells,
                                 const ResourceEstimate& estimate, const std::string& message) {
  const WorldSpec& cell = cells[estimate.largest_model_cell];
  const std::string& key = estimate.largest_model_key;
  const ArmCombinations& arms = cell.combinations;
  const std::size_t r = estimate.largest_model_recommender;
  if (r > 0 && r < arms.recommenders.size())
    throw UsageError(param_error_message(arms.where[r], "arms.set",
                                         arms.names[r] + ": " + key + ": " + message));
  if (r >= arms.recommenders.size()) {
    const OpeTarget& target = cell.ope_targets[r - arms.recommenders.size()];
    throw UsageError(
        param_error_message(target.where, "ope.set",
                            "target " + format_value(target.name) + ": " + key + ": " + message));
  }
  scenario.cells[estimate.largest_model_cell].values.fail(key, message);
}

}  // namespace

ResourceEstimate check_resources(const Scenario& scenario, const std::vector<WorldSpec>& cells,
                                 int threads, std::size_t shards) {
  const ResourceEstimate estimate = estimate_resources(cells, threads, shards);
  const double memory = physical_memory_bytes();
  if (memory > 0 && estimate.peak_bytes > memory) {
    const WorldSpec& spec = cells.front();
    const double users =
        static_cast<double>(spec.users.count) *
        (PopulationTraits::bytes_per_user(spec.users.latent_dim) + kOwnBytesPerUser);
    const std::string message = "needs more memory than this machine has (" + format_bytes(memory) +
                                "): " + describe(estimate, threads);
    // The key of the largest part: the users, the logs or the models.
    if (estimate.model_bytes > std::max(users, estimate.log_bytes))
      fail_for_model(scenario, cells, estimate, message);
    scenario.base.fail(users >= estimate.log_bytes ? "users.count" : "run.log_every", message);
  }
  if (estimate.cpu_seconds > kMaxCpuSeconds)
    scenario.base.fail("run.duration_h", "above the cap of " + format_seconds(kMaxCpuSeconds) +
                                             " of CPU per run (split it with --shard): " +
                                             describe(estimate, threads));
  return estimate;
}

double physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page_size > 0 ? static_cast<double>(pages) * static_cast<double>(page_size)
                                    : 0.0;
}

}  // namespace marketsim
