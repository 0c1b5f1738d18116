#include "sim/world/resource_estimate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>
#include <string>
#include <tuple>

#include <unistd.h>

#include "models/example.h"
#include "models/predictor.h"
#include "policies/candidates/candidate_generator.h"
#include "sim/core/event_queue.h"
#include "sim/world/off_policy_log.h"
#include "sim/world/recommender.h"

namespace marketsim {
namespace {

// Bytes per user: the traits, shared by the cells of a replication, and each world's own state
// (bench/population_memory).
constexpr double kSharedBytesPerUser = 36;
constexpr double kOwnBytesPerUser = 8;
// A pending return visit in a world's event queue; at most one per user.
constexpr double kBytesPerPendingReturn = 32;
// One offer creative in the catalog and in the models' view of it (features, embedding).
constexpr double kBytesPerCreative = 256;
// Bytes of a heap block of `bytes` (glibc: 8 bytes of header, rounded up to 16, at least 32).
double heap_block(double bytes) { return std::max(32.0, std::ceil((bytes + 8) / 16) * 16); }
// One example in a batch-trained model's window (models/training/model_stage.h): its time and the
// example, which a retrain copies once more into the buffer it fits.
constexpr double kBytesPerWindowExample = sizeof(SimTime) + 2 * sizeof(Example);
// One (time, prediction, label) pair in a calibrated model's window, padded.
constexpr double kBytesPerCalibrationPair = 24;
// Floating-point rates of the networks on one core of the development machine (portable build;
// bench/nn_throughput, batches of 20: DCN-V2, MMoE and ESMM predict at 26-30 GFLOP/s and train at
// 6-7.5 GFLOP/s, counted as forward flops per example).
constexpr double kPredictionFlopsPerCpuSecond = 25e9;
constexpr double kTrainingFlopsPerCpuSecond = 6e9;
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
  const auto multiplier = [&](std::size_t hour) {
    const auto& daily = partners.hourly_profile;
    const auto& weekly = partners.weekly_profile;
    return (daily.empty() ? 1.0 : daily[hour % daily.size()]) *
           (weekly.empty() ? 1.0 : weekly[hour / 24 % weekly.size()]);
  };
  double hours = 0;
  std::size_t h = 0;
  for (; static_cast<double>(h + 1) <= duration_h; ++h) hours += multiplier(h);
  return hours + (duration_h - static_cast<double>(h)) * multiplier(h);
}

// The most labels a world holds waiting to mature: each impression's click label for the click
// delay and, when a model learns conversions on every impression (esmm) and they mature at the
// window's end, each impression's conversion label for the attribution window. A label that
// would mature after the run is never queued. The labels of clicks alone (conversions, returns)
// are left out: a few per cent of the impressions.
double pending_labels(const WorldSpec& spec, double transactions) {
  const RunSpec& run = spec.run;
  if (run.duration_h <= 0) return 0;
  const double impressions_per_hour =
      transactions / run.duration_h * static_cast<double>(spec.partners.slots);
  const auto waiting_h = [&](double delay_h) { return delay_h < run.duration_h ? delay_h : 0.0; };
  double hours = waiting_h(run.click_label_delay_h);
  const auto learns_every_impression = [](const RecommenderSpec& r) {
    return r.ranker.learns_unclicked_conversions ||
           r.conversion_model.learns_unclicked_conversions ||
           r.user_value_model.learns_unclicked_conversions;
  };
  const auto& arms = spec.combinations.recommenders;  // an experiment's arms may differ
  const bool every_impression = learns_every_impression(spec.recommender) ||
                                std::any_of(arms.begin(), arms.end(), learns_every_impression);
  if (every_impression && run.conversion_labels_at_window_end)
    hours += waiting_h(std::max(run.click_label_delay_h, run.attribution_window_h));
  return impressions_per_hour * hours;
}

// Candidates per request of recommender `r`: every creative the partners allow and their own
// offers, or the candidate generator's k ads when it has one and those.
double candidates_of(const WorldSpec& spec, const RecommenderSpec& r) {
  const double creatives = static_cast<double>(spec.advertisers.count) *
                           static_cast<double>(spec.advertisers.offers_per_advertiser) *
                           static_cast<double>(spec.advertisers.creatives_per_offer);
  const double allowed = creatives * (1.0 - spec.partners.block_probability);
  const ParamValues& generator = r.candidates.params;
  const double ads = generator.contains("k")
                         ? std::min(allowed, static_cast<double>(generator.get_int("k")))
                         : allowed;
  return ads + static_cast<double>(spec.partners.first_party_offers);
}

// Candidates per request: the most of the cell's recommender and an experiment's arms.
double candidates_per_request(const WorldSpec& spec) {
  double most = candidates_of(spec, spec.recommender);
  for (const RecommenderSpec& arm : spec.combinations.recommenders)
    most = std::max(most, candidates_of(spec, arm));
  return most;
}

// CPU seconds of the networks (models that declare their flops) of recommender `r` in one world
// with `transactions`, of which it scores `scored`: each role the objective uses predicts every
// candidate and then the shown slots, and learns every impression when it models clicks or learns
// conversions on every impression (a role that learns only on clicks is left out: a few per cent
// of them), online once, or in batch every retrain over its window, epochs times.
double network_seconds(const WorldSpec& spec, const RecommenderSpec& r, double transactions,
                       double scored) {
  const double slots = static_cast<double>(spec.partners.slots);
  const double duration_h = spec.run.duration_h;
  const double impressions = transactions * slots;
  double seconds = 0;
  const int roles = r.objective.user_value_weight > 0 ? 3 : 2;
  for (const auto& [role, task] :
       {std::pair{&r.ranker, Task::kClick}, std::pair{&r.conversion_model, Task::kConversion},
        std::pair{&r.user_value_model, Task::kReturn}}) {
    if (static_cast<int>(task) >= roles) break;
    const double flops = predictor_registry()
                             .footprint(role->model.type, role->model.params,
                                        PredictorContext{task, {}, role->features, {}, 0})
                             .flops_per_prediction;
    const double predictions = scored * (candidates_of(spec, r) + slots);
    double examples = task == Task::kClick || role->learns_unclicked_conversions ? impressions : 0;
    const TrainingSpec& training = role->stage.training;
    if (training.schedule == TrainingSpec::Schedule::kBatch && duration_h > 0) {
      const double window =
          std::min(static_cast<double>(training.max_window_examples),
                   examples / duration_h * std::min(duration_h, training.window_h));
      examples = window * static_cast<double>(training.epochs) *
                 std::floor(duration_h / training.retrain_every_h);
    }
    seconds += predictions * flops / kPredictionFlopsPerCpuSecond +
               examples * flops / kTrainingFlopsPerCpuSecond;
  }
  return seconds;
}

// CPU seconds of one world's networks: those of its busiest recommender (the cell's, or an arm
// combination's: an upper bound when experiments split the traffic) over all its transactions,
// and those of each off-policy target, which scores the logged requests and learns every
// impression.
double world_network_seconds(const WorldSpec& spec, double transactions) {
  double busiest = network_seconds(spec, spec.recommender, transactions, transactions);
  for (const RecommenderSpec& arm : spec.combinations.recommenders)
    busiest = std::max(busiest, network_seconds(spec, arm, transactions, transactions));
  const double logged =
      spec.run.log_every > 0 ? transactions / static_cast<double>(spec.run.log_every) : 0.0;
  for (const OpeTarget& target : spec.ope_targets)
    busiest += network_seconds(spec, target.recommender, transactions, logged);
  return busiest;
}

// Bytes of one world's off-policy logs (run.log_every), held until the file is written, when
// the tables' columns copy them once more: per logged request its shown slots, each candidate
// with its three per-slot probability vectors, and each off-policy target's record.
double log_bytes(const WorldSpec& spec, double transactions) {
  if (spec.run.log_every <= 0) return 0;
  const double slots = static_cast<double>(spec.partners.slots);
  const double per_slot_vector = heap_block(8 * slots);
  const double impression = sizeof(ImpressionRecord) + kImpressionColumns * sizeof(double);
  const double candidate = sizeof(CandidateRecord) + 3 * per_slot_vector +
                           (kCandidateColumns + 3 * slots) * sizeof(double);
  const double target = sizeof(TargetRecord) + per_slot_vector;
  const double per_request = slots * impression + candidates_per_request(spec) * candidate +
                             static_cast<double>(spec.ope_targets.size()) * target;
  return transactions / static_cast<double>(spec.run.log_every) * per_request;
}

// The bytes of one role's model in one world: its parameters and optimizer state as the model's
// registration declares them (models/predictor.h); with a batch schedule, its window of examples:
// every impression of window_h + retrain_every_h, at most max_window_examples; with a calibrator,
// its (prediction, label) pairs of every impression of window_h + refit_every_h. Every
// impression: an upper bound for the conversion and user-value roles, which keep clicked ones.
double role_bytes(const ModelRoleSpec& role, Task task, double impressions_per_hour,
                  double duration_h) {
  double bytes = predictor_registry()
                     .footprint(role.model.type, role.model.params,
                                PredictorContext{task, {}, role.features, {}, 0})
                     .bytes;
  const auto impressions_within = [&](double hours) {
    return impressions_per_hour * std::min(duration_h, hours);
  };
  const TrainingSpec& training = role.stage.training;
  if (training.schedule == TrainingSpec::Schedule::kBatch)
    bytes += std::min(static_cast<double>(training.max_window_examples),
                      impressions_within(training.window_h + training.retrain_every_h)) *
             kBytesPerWindowExample;
  const CalibrationSpec& calibration = role.stage.calibration;
  if (calibration.method != "none")
    bytes += impressions_within(calibration.window_h + calibration.refit_every_h) *
             kBytesPerCalibrationPair;
  return bytes;
}

// The models of one world with `transactions` expected, built as the world builds them: the
// roles and candidate generator of every recommender (the cell's, and an experiment's arm
// combinations, which share a component when they share its instance), and those of each
// off-policy target (its own). All three roles are built, whether or not the objective uses the
// user-value model. Sets `largest_key` to the type key of the largest.
double model_bytes(const WorldSpec& spec, double transactions, std::string& largest_key) {
  const double impressions_per_hour =
      spec.run.duration_h > 0
          ? transactions / spec.run.duration_h * static_cast<double>(spec.partners.slots)
          : 0.0;
  CandidateContext candidates;
  candidates.offers =
      static_cast<std::size_t>(spec.advertisers.count * spec.advertisers.offers_per_advertiser *
                                   spec.advertisers.creatives_per_offer +
                               spec.partners.count * spec.partners.first_party_offers);
  candidates.regions = static_cast<int>(spec.users.region_share.size());
  using C = RecommenderComponent;
  double total = 0, largest = 0;
  std::set<std::pair<C, std::uint32_t>> built;
  const auto count = [&](C component, const ComponentInstances* instances, const char* key,
                         const auto& bytes_of) {
    if (instances != nullptr &&
        !built.emplace(component, (*instances)[static_cast<std::size_t>(component)]).second)
      return;  // shared with a combination counted before
    const double bytes = bytes_of();
    total += bytes;
    if (bytes > largest) largest = bytes, largest_key = key;
  };
  const auto add = [&](const RecommenderSpec& r, const ComponentInstances* instances) {
    count(C::kCandidates, instances, "recommender.candidates.type", [&] {
      return candidate_generator_registry()
          .footprint(r.candidates.type, r.candidates.params, candidates)
          .bytes;
    });
    for (const auto& [component, role, task, key] :
         {std::tuple{C::kRanker, &r.ranker, Task::kClick, "recommender.ranker.type"},
          std::tuple{C::kConversionModel, &r.conversion_model, Task::kConversion,
                     "recommender.conversion_model.type"},
          std::tuple{C::kUserValueModel, &r.user_value_model, Task::kReturn,
                     "recommender.user_value_model.type"}})
      count(component, instances, key, [&, role = role, task = task] {
        return role_bytes(*role, task, impressions_per_hour, spec.run.duration_h);
      });
  };
  const ArmCombinations& combinations = spec.combinations;
  for (std::size_t c = 0; c < combinations.recommenders.size(); ++c)
    add(c == 0 ? spec.recommender : combinations.recommenders[c], &combinations.instances[c]);
  for (const OpeTarget& target : spec.ope_targets) add(target.recommender, nullptr);
  return total;
}

// Bytes one world holds while it runs beyond the shared traits, its models and its logs, with
// `transactions` expected.
double world_bytes(const WorldSpec& spec, double transactions) {
  const double users = static_cast<double>(spec.users.count);
  double bytes = users * kOwnBytesPerUser;
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
  return static_cast<double>(spec.users.count) * kSharedBytesPerUser +
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

}  // namespace

double expected_transactions(const WorldSpec& spec) {
  const double organic = static_cast<double>(spec.partners.count) *
                         spec.partners.transactions_per_hour *
                         profiled_hours(spec.partners, spec.run.duration_h);
  const double returns_per_transaction =
      spec.users.return_rate_per_day / 24.0 * spec.run.duration_h / 2.0;
  return organic * (1.0 + returns_per_transaction);
}

ResourceEstimate estimate_resources(const std::vector<WorldSpec>& cells, int threads,
                                    std::size_t shards) {
  ResourceEstimate estimate;
  if (cells.empty()) return estimate;
  const double replications = std::ceil(static_cast<double>(cells.front().run.replications) /
                                        static_cast<double>(std::max<std::size_t>(shards, 1)));
  const double worlds = replications * static_cast<double>(cells.size());
  const double busy = std::max(1.0, std::min(static_cast<double>(threads), worlds));
  // Worlds run replication by replication, so the busy threads span this many replications.
  const double replications_alive = std::min(
      replications, std::ceil(busy / static_cast<double>(cells.size())) + (busy > 1 ? 1 : 0));
  double largest_world = 0, transactions = 0, logs = 0, network_seconds = 0;
  for (const WorldSpec& cell : cells) {
    const double t = expected_transactions(cell);
    transactions += t;
    std::string role;
    const double models = model_bytes(cell, t, role);
    const double world = world_bytes(cell, t) + models;
    if (world > largest_world) {
      largest_world = world;
      estimate.model_bytes = models;
      estimate.largest_model_key = role;
    }
    logs += log_bytes(cell, t);
    network_seconds += world_network_seconds(cell, t);
  }
  estimate.model_bytes *= busy;
  estimate.transactions = transactions * replications;
  // Every world's logs stay until the end (freed worlds' memory stays with the process).
  estimate.log_bytes = logs * replications;
  estimate.peak_bytes = kBaseProcessBytes + replications_alive * base_bytes(cells.front()) +
                        busy * largest_world + estimate.log_bytes;
  estimate.cpu_seconds =
      estimate.transactions / kTransactionsPerCpuSecond + network_seconds * replications;
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

ResourceEstimate check_resources(const Scenario& scenario, const std::vector<WorldSpec>& cells,
                                 int threads, std::size_t shards) {
  const ResourceEstimate estimate = estimate_resources(cells, threads, shards);
  const double memory = physical_memory_bytes();
  if (memory > 0 && estimate.peak_bytes > memory) {
    const WorldSpec& spec = cells.front();
    const double users =
        static_cast<double>(spec.users.count) * (kSharedBytesPerUser + kOwnBytesPerUser);
    // The key of the largest part: the users, the logs or the models.
    const char* key = "users.count";
    double largest = users;
    if (estimate.log_bytes > largest) key = "run.log_every", largest = estimate.log_bytes;
    if (estimate.model_bytes > largest) key = estimate.largest_model_key.c_str();
    scenario.base.fail(key, "needs more memory than this machine has (" + format_bytes(memory) +
                                "): " + describe(estimate, threads));
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
