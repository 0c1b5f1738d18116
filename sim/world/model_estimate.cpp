#include "sim/world/model_estimate.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <set>
#include <utility>

#include "agents/partner.h"
#include "models/example.h"
#include "models/predictor.h"
#include "policies/candidates/candidate_generator.h"
#include "sim/core/sim_time.h"

namespace marketsim {
namespace {

// One example in a batch-trained model's window (models/training/model_stage.h): its time and the
// example, which a retrain copies once more into the buffer it fits.
constexpr double kBytesPerWindowExample = sizeof(SimTime) + 2 * sizeof(Example);
// One (time, prediction, label) pair in a calibrated model's window, padded, and the prediction
// and label again in the buffers a refit fits.
constexpr double kBytesPerCalibrationPair = 24 + sizeof(double) + 1;

// The traffic and catalog of one world, as the components see them.
struct WorldShape {
  double transactions = 0;
  double impressions = 0;
  double impressions_per_hour = 0;
  double duration_h = 0;
  double slots = 0;
  double allowed_ads = 0;       // the ads' creatives the partners allow, in expectation
  CandidateContext candidates;  // what a candidate generator is built with

  // Share of the run's traffic before hour h of the run (h = 0 .. ceil(duration_h); 1 at the end),
  // from the partners' hourly and weekly profiles.
  std::vector<double> traffic_before;

  // The impressions of the first `hours` of the run (all of them for a longer span).
  double impressions_within(double hours) const {
    return impressions_per_hour * std::min(duration_h, hours);
  }
  // The impressions in [0, hours) of the run, as the profiles spread them (linear within an hour).
  double impressions_before(double hours) const {
    if (hours <= 0) return 0;
    if (hours >= duration_h) return impressions;
    const auto h = static_cast<std::size_t>(hours);
    const double within = hours - static_cast<double>(h);
    return impressions *
           (traffic_before[h] + within * (traffic_before[h + 1] - traffic_before[h]) /
                                    std::min(1.0, duration_h - static_cast<double>(h)));
  }
};

WorldShape shape_of(const WorldSpec& spec, double transactions) {
  WorldShape w;
  w.transactions = transactions;
  w.slots = static_cast<double>(spec.partners.slots);
  w.impressions = transactions * w.slots;
  w.duration_h = spec.run.duration_h;
  w.impressions_per_hour = w.duration_h > 0 ? w.impressions / w.duration_h : 0.0;
  w.traffic_before.push_back(0.0);
  for (std::size_t h = 0; static_cast<double>(h) < w.duration_h; ++h) {
    const double width = std::min(1.0, w.duration_h - static_cast<double>(h));
    w.traffic_before.push_back(w.traffic_before.back() +
                               width * profile_multiplier(spec.partners, h));
  }
  if (w.traffic_before.back() > 0)
    for (double& share : w.traffic_before) share /= w.traffic_before.back();
  const std::int64_t creatives = spec.advertisers.count * spec.advertisers.offers_per_advertiser *
                                 spec.advertisers.creatives_per_offer;
  w.allowed_ads = static_cast<double>(creatives) * (1.0 - spec.partners.block_probability);
  w.candidates.offers =
      static_cast<std::size_t>(creatives + spec.partners.count * spec.partners.first_party_offers);
  w.candidates.users = static_cast<std::size_t>(spec.users.count);
  w.candidates.latent_dim = static_cast<int>(spec.users.latent_dim);
  w.candidates.regions = static_cast<int>(spec.users.region_share.size());
  return w;
}

// One model role of a recommender: its component, spec, task and type key.
struct Role {
  RecommenderComponent component;
  const ModelRoleSpec* spec;
  Task task;
  const char* key;
};

// The three roles, in the order of their tasks; the objective uses the first active_roles(r).
std::array<Role, 3> roles_of(const RecommenderSpec& r) {
  using C = RecommenderComponent;
  return {Role{C::kRanker, &r.ranker, Task::kClick, "recommender.ranker.type"},
          Role{C::kConversionModel, &r.conversion_model, Task::kConversion,
               "recommender.conversion_model.type"},
          Role{C::kUserValueModel, &r.user_value_model, Task::kReturn,
               "recommender.user_value_model.type"}};
}

std::size_t active_roles(const RecommenderSpec& r) {
  return r.objective.user_value_weight > 0 ? 3 : 2;
}

Footprint role_footprint(const Role& role) {
  const ModelRoleSpec& m = *role.spec;
  return predictor_registry().footprint(m.model.type, m.model.params,
                                        PredictorContext{role.task, {}, m.features, {}, 0});
}

Footprint generator_footprint(const RecommenderSpec& r, const WorldShape& w) {
  return candidate_generator_registry().footprint(r.candidates.type, r.candidates.params,
                                                  w.candidates);
}

// The batch fits of a role before the end of the run, at warm_up_h + k retrain_every_h for
// k >= 1, each over the impressions of its window that have happened by then (at most
// max_window_examples), the traffic spread over the run by the partners' profiles.
struct FitSchedule {
  double fits = 0;
  double fitted_examples = 0;  // all the fits together
  double largest_fit = 0;      // examples of the largest fit
  // The fits whose work a prediction carries, averaged over the run's traffic: a warm start keeps
  // every earlier fit's trees, a cold one only the last fit's.
  double fits_in_force = 0;
};

// Fits summed one by one at most; beyond, every n-th fit stands for n (a run of 10^5 hours
// retrained every few seconds).
constexpr double kMostFitsSummed = 1e5;

FitSchedule fit_schedule(const TrainingSpec& training, const WorldShape& w) {
  FitSchedule s;
  if (training.schedule != TrainingSpec::Schedule::kBatch || w.impressions <= 0) return s;
  const double start = training.warm_up_h, every = training.retrain_every_h;
  s.fits = std::max(0.0, std::ceil((w.duration_h - start) / every) - 1);
  if (s.fits == 0) return s;
  const double most = static_cast<double>(training.max_window_examples);
  const double stride = std::max(1.0, std::floor(s.fits / kMostFitsSummed));
  for (double k = 1; k <= s.fits; k += stride) {
    const double at = start + k * every;
    const double examples =
        std::min(most, w.impressions_before(at) - w.impressions_before(at - training.window_h));
    const double weight = std::min(stride, s.fits - k + 1);  // the fits this one stands for
    s.fitted_examples += weight * examples;
    s.largest_fit = std::max(s.largest_fit, examples);
    if (training.warm_start || k == 1)
      s.fits_in_force +=
          (training.warm_start ? weight : 1.0) * (1 - w.impressions_before(at) / w.impressions);
  }
  return s;
}

// Bytes of one role: its model, and when the objective uses it (only then do labels reach it),
// its batch window and its calibration pairs.
double role_bytes(const Role& role, bool active, const WorldShape& w) {
  const Footprint footprint = role_footprint(role);
  double bytes = footprint.bytes;
  if (!active) return bytes;
  const TrainingSpec& training = role.spec->stage.training;
  if (training.schedule == TrainingSpec::Schedule::kBatch) {
    const FitSchedule fits = fit_schedule(training, w);
    bytes +=
        footprint.bytes_per_fit * (training.warm_start ? fits.fits : std::min(fits.fits, 1.0)) +
        footprint.bytes_per_fitted_example * fits.largest_fit;
    // The window fills from the start and is first cut to window_h at the first retrain.
    const double held = std::max(training.window_h, training.warm_up_h) + training.retrain_every_h;
    bytes +=
        std::min(static_cast<double>(training.max_window_examples), w.impressions_within(held)) *
        kBytesPerWindowExample;
  }
  const CalibrationSpec& calibration = role.spec->stage.calibration;
  if (calibration.method != "none")
    bytes += w.impressions_within(calibration.window_h + calibration.refit_every_h) *
             kBytesPerCalibrationPair;
  return bytes;
}

// CPU seconds of one role that predicts `predictions` times in `calls` calls.
double role_seconds(const Role& role, double predictions, double calls, const WorldShape& w) {
  const Footprint footprint = role_footprint(role);
  const TrainingSpec& training = role.spec->stage.training;
  const FitSchedule fits = fit_schedule(training, w);
  // Examples of the batch fits; a role that learns on clicks only fits few (left out).
  const double fitted = role.spec->learns_every_impression ? fits.fitted_examples : 0.0;
  const double bookkeeping =
      predictions * (footprint.cpu_seconds_per_prediction +
                     fits.fits_in_force * footprint.cpu_seconds_per_prediction_per_fit) +
      calls * footprint.cpu_seconds_per_call + fitted * footprint.cpu_seconds_per_fitted_example;
  const double flops = footprint.flops_per_prediction;
  if (flops == 0) return bookkeeping;
  double examples = 0;
  if (role.spec->learns_every_impression) {
    examples = training.schedule == TrainingSpec::Schedule::kOnline
                   ? w.impressions
                   : w.impressions_before(training.warm_up_h) +
                         fitted * static_cast<double>(training.epochs);
  }
  return bookkeeping + predictions * flops / kPredictionFlopsPerCpuSecond +
         examples * flops / kTrainingFlopsPerCpuSecond;
}

// CPU seconds of recommender `r`'s learned components in one world: the requests it scores
// (`scored`) over all its candidates, every request's shown slots, and, when it generates its own
// candidates, its generator.
double recommender_seconds(const WorldSpec& spec, const RecommenderSpec& r, const WorldShape& w,
                           double scored, bool generates) {
  double seconds = 0;
  if (generates) {
    const double flops = generator_footprint(r, w).flops_per_prediction;
    seconds += w.transactions * w.allowed_ads * flops / kPredictionFlopsPerCpuSecond +
               w.impressions * flops / kTrainingFlopsPerCpuSecond;
  }
  const double predictions = scored * candidates_per_request(spec, r) + w.transactions * w.slots;
  const double calls = scored + w.transactions;
  const std::array<Role, 3> roles = roles_of(r);
  for (std::size_t i = 0; i < active_roles(r); ++i)
    seconds += role_seconds(roles[i], predictions, calls, w);
  return seconds;
}

}  // namespace

double candidates_per_request(const WorldSpec& spec, const RecommenderSpec& r) {
  const WorldShape w = shape_of(spec, 0);
  const ParamValues& generator = r.candidates.params;
  const double ads = generator.contains("k")
                         ? std::min(w.allowed_ads, static_cast<double>(generator.get_int("k")))
                         : w.allowed_ads;
  return ads + static_cast<double>(spec.partners.first_party_offers);
}

ModelCost model_cost(const WorldSpec& spec, double transactions) {
  const WorldShape w = shape_of(spec, transactions);
  ModelCost cost;
  double largest = 0;
  std::size_t recommender = 0;  // of the components being added
  const auto hold = [&](double bytes, const char* key) {
    cost.bytes += bytes;
    if (bytes > largest)
      largest = bytes, cost.largest_key = key, cost.largest_recommender = recommender;
  };
  std::set<std::pair<RecommenderComponent, std::uint32_t>> built;
  const auto add = [&](const RecommenderSpec& r, const ComponentInstances* instances) {
    const auto first = [&](RecommenderComponent c) {
      return instances == nullptr ||
             built.emplace(c, (*instances)[static_cast<std::size_t>(c)]).second;
    };
    if (first(RecommenderComponent::kCandidates))
      hold(generator_footprint(r, w).bytes, "recommender.candidates.type");
    const std::array<Role, 3> roles = roles_of(r);
    for (std::size_t i = 0; i < roles.size(); ++i)
      if (first(roles[i].component))
        hold(role_bytes(roles[i], i < active_roles(r), w), roles[i].key);
  };
  const ArmCombinations& combinations = spec.combinations;
  double busiest = 0;
  for (std::size_t c = 0; c < combinations.recommenders.size(); ++c) {
    const RecommenderSpec& r = c == 0 ? spec.recommender : combinations.recommenders[c];
    recommender = c;
    add(r, &combinations.instances[c]);
    busiest = std::max(busiest, recommender_seconds(spec, r, w, transactions, true));
  }
  const double logged =
      spec.run.log_every > 0 ? transactions / static_cast<double>(spec.run.log_every) : 0.0;
  for (const OpeTarget& target : spec.ope_targets) {
    ++recommender;
    add(target.recommender, nullptr);
    busiest += recommender_seconds(spec, target.recommender, w, logged, false);
  }
  cost.cpu_seconds = busiest;
  return cost;
}

}  // namespace marketsim
