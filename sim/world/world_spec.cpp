#include "sim/world/world_spec.h"

#include "sim/core/error.h"
#include "sim/world/world_base_signature.h"

#include <algorithm>

#include "models/predictor.h"
#include "policies/auction/auction.h"
#include "policies/auction/reserve_policy.h"
#include "policies/bidding/bidder.h"
#include "policies/candidates/candidate_generator.h"
#include "policies/exploration/explorer.h"
#include "policies/pacing/pacer.h"

namespace marketsim {
namespace {

template <typename RegistryT>
void append_stage(std::vector<ParamSpec>& schema, const std::string& stage,
                  const RegistryT& registry, const std::string& default_type) {
  const std::string prefix = "recommender." + stage;
  schema.push_back(ParamSpec::choice(prefix + ".type", default_type, registry.names(),
                                     "the component of the " + stage + " stage"));
  for (const ComponentInfo& component : registry.components())
    append_section(schema, prefix + "." + component.name, component.params);
}

ComponentChoice choice_of(const ParamValues& values, const std::string& stage) {
  const std::string prefix = "recommender." + stage;
  const std::string type = values.get_string(prefix + ".type");
  return ComponentChoice{type, values.subset(prefix + "." + type)};
}

// recommender.<role>.type, the models' parameters and the role's own sections.
void append_model_role(std::vector<ParamSpec>& schema, const std::string& role) {
  append_stage(schema, role, predictor_registry(), "beta");
  append_section(schema, "recommender." + role + ".features", FeatureSpec::declare());
  append_section(schema, "recommender." + role, ModelStageSpec::declare());
}

// A tiny instance of the registered model `type` built for `task`, to ask what it can do; a
// model that cannot serve the task fails naming `key`.
std::unique_ptr<Predictor> probe_model(const ParamValues& values, const std::string& key,
                                       const std::string& type, const ParamValues& params,
                                       Task task) {
  FeatureSpec features = FeatureSpec::from(defaults_of(FeatureSpec::declare()));
  features.hash_bits = 4;
  try {
    return predictor_registry().create(type, params, PredictorContext{task, {}, features, {}, 0});
  } catch (const std::invalid_argument& e) {
    values.fail(key, e.what());
  }
}

// Builds the explorer, auction, reserve, pacer and bidder once, as a world would, so that a
// combination of their parameters they refuse fails here (in validate) naming its key, not in the
// middle of a run.
void probe_policies(const ParamValues& values, const WorldSpec& spec) {
  const RecommenderSpec& r = spec.recommender;
  const auto advertisers = static_cast<std::size_t>(spec.advertisers.count);
  explorer_registry().create(r.explorer.type, r.explorer.params);
  auction_registry().create(r.auction.type, r.auction.params);
  reserve_policy_registry().create(r.reserve.type, r.reserve.params,
                                   ReserveContext(static_cast<std::size_t>(spec.partners.count)));
  pacer_registry().create(r.pacer.type, r.pacer.params, advertisers);
  bidder_registry().create(r.bidder.type, r.bidder.params, advertisers);
  if (r.auction.type == "vcg") {
    const std::string key = "recommender.auction.vcg.position_ctr";
    if (static_cast<std::int64_t>(values.get_real_list(key).size()) < spec.partners.slots)
      values.fail(key, "needs one value per slot (partners.slots = " +
                           std::to_string(spec.partners.slots) + ")");
  }
}

ModelRoleSpec model_role_of(const ParamValues& values, const std::string& role, Task task) {
  const std::string prefix = "recommender." + role;
  ModelRoleSpec spec{choice_of(values, role),
                     FeatureSpec::from(values.subset(prefix + ".features")),
                     ModelStageSpec::from(values.subset(prefix))};
  const auto model =
      probe_model(values, prefix + ".type", spec.model.type, spec.model.params, task);
  const TrainingSpec& training = spec.stage.training;
  if (training.schedule == TrainingSpec::Schedule::kOnline && !model->trains_online())
    values.fail(prefix + ".training.schedule",
                "model \"" + spec.model.type + "\" learns only in batches; set \"batch\"");
  // An entire-space model's dropped negatives are impressions without a conversion, so the
  // odds correction belongs to pCTCVR, not to the pCVR it serves.
  if (task == Task::kConversion && model->learns_unclicked_conversions() &&
      training.negative_rate < 1 && training.correction == TrainingSpec::Correction::kRecalibrate)
    values.fail(prefix + ".training.correction",
                "\"recalibrate\" cannot undo downsampling for model \"" + spec.model.type +
                    "\" (it learns conversions on every impression); use \"weight\"");
  spec.learns_unclicked_conversions = model->learns_unclicked_conversions();
  spec.learns_every_impression =
      spec.learns_unclicked_conversions || (model->trained_tasks() & task_bit(Task::kClick)) != 0;
  return spec;
}

}  // namespace

std::vector<ParamSpec> RunSpec::declare() {
  return {
      ParamSpec::integer("seed", 1, 0, 1e15, "master seed of every random stream"),
      ParamSpec::integer("replications", 1, 1, 1e6,
                         "independent replications of every cell (common random numbers across "
                         "cells)"),
      ParamSpec::real("duration_h", 24, 1e-3, 1e5, "simulated time per replication", "h"),
      ParamSpec::real("window_h", 1, 1e-3, 1e5, "width of the recording windows", "h"),
      ParamSpec::real("click_label_delay_h", 0, 0, 1e5,
                      "models learn a shown offer's click label this long after the impression "
                      "(0: at once)",
                      "h"),
      ParamSpec::real("attribution_window_h", 24, 1e-3, 1e5,
                      "conversion model: a click without conversion within this window is a "
                      "negative label",
                      "h"),
      ParamSpec::choice(
          "conversion_labels", "window_end", {"window_end", "at_conversion"},
          "when models learn a click's conversion label: when its attribution window closes "
          "(positives and negatives alike: unbiased but late) or a positive as soon as it "
          "converts (earlier, but biased upward while negatives wait for the window)"),
      ParamSpec::real("pacing_interval_h", 0.25, 1e-3, 1e5, "how often pacers and bidders update",
                      "h"),
      ParamSpec::real("user_value_horizon_h", 72, 1e-3, 1e5,
                      "user-value model: a click counts as retained if the user transacts again "
                      "within this time",
                      "h"),
      ParamSpec::integer("oracle_every", 1, 0, 1e9,
                         "the oracle evaluates one request in this many (regret, recall); 0: none"),
      ParamSpec::integer(
          "log_every", 1000, 0, 1e9,
          "log the impressions of one request in this many to /impressions; 0: none"),
      ParamSpec::integer("latency_sample_every", 16, 0, 1e9,
                         "time the recommender stages of one request in this many; 0: none"),
      ParamSpec::real("drift_step_h", 0.25, 1e-3, 1e5,
                      "time step at which gradual and seasonal drift is applied", "h"),
  };
}

RunSpec RunSpec::from(const ParamValues& values) {
  RunSpec spec;
  spec.seed = static_cast<std::uint64_t>(values.get_int("seed"));
  spec.replications = values.get_int("replications");
  spec.duration_h = values.get_real("duration_h");
  spec.window_h = values.get_real("window_h");
  spec.drift_step_h = values.get_real("drift_step_h");
  spec.click_label_delay_h = values.get_real("click_label_delay_h");
  spec.attribution_window_h = values.get_real("attribution_window_h");
  spec.conversion_labels_at_window_end = values.get_string("conversion_labels") == "window_end";
  spec.pacing_interval_h = values.get_real("pacing_interval_h");
  spec.user_value_horizon_h = values.get_real("user_value_horizon_h");
  spec.latency_sample_every = values.get_int("latency_sample_every");
  spec.oracle_every = values.get_int("oracle_every");
  spec.log_every = values.get_int("log_every");
  if (spec.duration_h / spec.window_h > 1e6)
    values.fail("window_h", "more than 1e6 windows; use a wider window");
  return spec;
}

std::vector<ParamSpec> EvaluationSpec::declare() {
  std::vector<ParamSpec> specs;
  for (ParamSpec spec : RankingObjective::declare()) {
    if (spec.path == "user_value_weight") continue;
    spec.path = "objective." + spec.path;
    spec.description += " (evaluation: policy value, oracle and regret of every cell)";
    specs.push_back(std::move(spec));
  }
  const std::vector<ParamSpec> monitoring = {
      ParamSpec::real("reliability_upper", 0.5, 1e-3, 1,
                      "reliability bins of the model metrics: 10 equal-width bins on [0, this] "
                      "(predictions above it fall in the last bin)"),
      ParamSpec::real("reference_h", 24, 1e-3, 1e5,
                      "monitor: an online model's reference is what it trained on in this long "
                      "before the window (batch models: their last retrain's window)",
                      "h"),
      ParamSpec::real("psi_threshold", 0.1, 1e-3, 1e3,
                      "monitor: alert when a request feature's population stability index "
                      "exceeds this"),
      ParamSpec::real("calibration_tolerance", 1.2, 1.001, 1e3,
                      "monitor: alert when the matured calibration ratio leaves [1/this, this]"),
      ParamSpec::integer("monitor_min_count", 2000, 1, 1e12,
                         "monitor: statistics need this many examples in the window and in its "
                         "reference"),
      ParamSpec::boolean("models", true,
                         "record the click and conversion models' prediction and monitor "
                         "figures (/models and their ctr_*/cvr_* columns of /summary; training "
                         "counts and importance are kept); false: those figures are NaN (counts "
                         "0) and the monitor raises no alert, for runs that compare business "
                         "figures only; the same for every cell"),
      ParamSpec::integer("importance_every", 100, 0, 1e9,
                         "permutation importance: one matured example in this many is scored "
                         "with each feature column permuted before the model learns it; 0: off"),
  };
  specs.insert(specs.end(), monitoring.begin(), monitoring.end());
  return specs;
}

EvaluationSpec EvaluationSpec::from(const ParamValues& values) {
  const RankingObjective objective{values.get_real("objective.revenue_weight"),
                                   values.get_real("objective.click_weight"),
                                   values.get_real("objective.first_party_weight"), 0.0};
  return EvaluationSpec{objective,
                        values.get_real("reliability_upper"),
                        values.get_real("reference_h"),
                        values.get_real("psi_threshold"),
                        values.get_real("calibration_tolerance"),
                        values.get_int("monitor_min_count"),
                        values.get_int("importance_every"),
                        values.get_bool("models")};
}

namespace {

// Everything of a cell's world but its experiments and off-policy targets.
WorldSpec base_spec(const ParamValues& values) {
  WorldSpec spec;
  spec.run = RunSpec::from(values.subset("run"));
  spec.users = PopulationSpec::from(values.subset("users"));
  spec.partners = PartnerSpec::from(values.subset("partners"));
  spec.advertisers = AdvertiserSpec::from(values.subset("advertisers"));
  spec.truth = TruthSpec::from(values.subset("truth"));
  spec.skew = SkewSpec::from(values.subset("skew"));
  spec.evaluation = EvaluationSpec::from(values.subset("evaluation"));
  const auto ad_products = spec.advertisers.count * spec.advertisers.offers_per_advertiser;
  spec.drift = DriftSchedule::from(values, static_cast<int>(spec.advertisers.categories),
                                   static_cast<int>(ad_products),
                                   static_cast<int>(spec.users.region_share.size()));
  spec.recommender =
      RecommenderSpec{choice_of(values, "candidates"),
                      model_role_of(values, "ranker", Task::kClick),
                      model_role_of(values, "conversion_model", Task::kConversion),
                      model_role_of(values, "user_value_model", Task::kReturn),
                      choice_of(values, "explorer"),
                      choice_of(values, "auction"),
                      choice_of(values, "reserve"),
                      choice_of(values, "pacer"),
                      choice_of(values, "bidder"),
                      RankingObjective::from(values.subset("recommender.objective"))};
  if (spec.recommender.candidates.type == "cheap_model") {
    const std::string key = "recommender.candidates.cheap_model.model";
    const std::string& model = values.get_string(key);
    const auto infos = predictor_registry().components();
    const auto info = std::find_if(infos.begin(), infos.end(),
                                   [&](const ComponentInfo& c) { return c.name == model; });
    if (!probe_model(values, key, model, defaults_of(info->params), Task::kClick)->trains_online())
      values.fail(key, "model \"" + model +
                           "\" learns only in batches; the candidate stage "
                           "trains its model online");
  }
  for (const char* role : {"ranker", "conversion_model", "user_value_model"}) {
    const std::string key = "recommender." + std::string(role) + ".features.reference_slot";
    if (values.get_int(key) >= spec.partners.slots)
      values.fail(key,
                  "must be a slot below partners.slots = " + std::to_string(spec.partners.slots));
  }
  if (static_cast<std::int64_t>(spec.truth.position_bias.size()) < spec.partners.slots)
    values.fail("truth.position_bias", "needs one value per slot (partners.slots = " +
                                           std::to_string(spec.partners.slots) + ")");
  probe_policies(values, spec);
  return spec;
}

}  // namespace

RecommenderSpec recommender_spec_of(const ParamValues& values) {
  return base_spec(values).recommender;
}

WorldSpec WorldSpec::from(const ParamValues& values, const std::vector<ArmSpec>& arms,
                          const std::vector<OpeTargetSpec>& targets) {
  WorldSpec spec = base_spec(values);
  spec.base_signature = world_base_signature(values);
  spec.experiments = experiments_of(values, arms);
  spec.combinations = arm_combinations(values, arms, spec.experiments, spec.recommender);
  for (const OpeTargetSpec& target : targets) {
    ParamValues target_values = values;
    for (std::size_t k = 0; k < target.overrides.size(); ++k)
      target_values.set(target.overrides[k].first, target.overrides[k].second,
                        target.override_where[k]);
    try {
      spec.ope_targets.push_back(
          OpeTarget{target.name, recommender_spec_of(target_values), target.where});
    } catch (const UsageError& e) {
      throw UsageError(param_error_message(
          target.where, "ope.set", "target " + format_value(target.name) + ": " + e.what()));
    }
  }
  return spec;
}

std::vector<WorldSpec> cell_worlds(const Scenario& scenario) {
  std::vector<WorldSpec> cells;
  for (const CellSpec& cell : scenario.cells)
    cells.push_back(WorldSpec::from(cell.values, scenario.arms, scenario.ope_targets));
  const std::string& baseline = scenario.base.get_string("report.baseline");
  if (!baseline.empty() && std::none_of(scenario.cells.begin(), scenario.cells.end(),
                                        [&](const CellSpec& c) { return c.name == baseline; }))
    scenario.base.fail("report.baseline", "no cell named " + format_value(baseline));
  if (cells.front().experiments.empty()) return cells;
  for (std::size_t c = 1; c < cells.size(); ++c) {
    const ParamValues& values = scenario.cells[c].values;
    if (cells[c].run.duration_h != cells.front().run.duration_h)
      values.fail("run.duration_h",
                  "cells of a scenario with [[experiments]] must share the run's duration");
    if (cells[c].run.window_h != cells.front().run.window_h)
      values.fail("run.window_h",
                  "cells of a scenario with [[experiments]] must share the recording window");
    for (std::size_t e = 0; e < cells[c].experiments.size(); ++e)
      if (cells[c].experiments[e].segment != cells.front().experiments[e].segment)
        values.fail("experiments." + std::to_string(e) + ".segment",
                    "cells share one /experiments group, so they must share its segmentation");
  }
  return cells;
}

const std::vector<ParamSpec>& scenario_schema() {
  static const std::vector<ParamSpec> schema = [] {
    std::vector<ParamSpec> s;
    append_section(s, "run", RunSpec::declare());
    append_section(s, "users", PopulationSpec::declare());
    append_section(s, "partners", PartnerSpec::declare());
    append_section(s, "advertisers", AdvertiserSpec::declare());
    append_section(s, "truth", TruthSpec::declare());
    append_section(s, "skew", SkewSpec::declare());
    append_section(s, "evaluation", EvaluationSpec::declare());
    append_section(
        s, "report",
        {ParamSpec::string(
             "baseline", "",
             "the cell `marketsim report` compares the others with (\"\": the first)"),
         ParamSpec::string("metrics", "",
                           "comma-separated /summary columns `marketsim report` shows (\"\": the "
                           "standard blocks)")});
    append_section(s, "drift[]", DriftSchedule::declare());
    append_section(s, "experiments[]", ExperimentSpec::declare());
    append_stage(s, "candidates", candidate_generator_registry(), "all_eligible");
    append_model_role(s, "ranker");
    append_model_role(s, "conversion_model");
    append_model_role(s, "user_value_model");
    append_section(s, "recommender.objective", RankingObjective::declare());
    append_stage(s, "explorer", explorer_registry(), "epsilon_greedy");
    append_stage(s, "auction", auction_registry(), "gsp");
    append_stage(s, "reserve", reserve_policy_registry(), "partner");
    append_stage(s, "pacer", pacer_registry(), "none");
    append_stage(s, "bidder", bidder_registry(), "fixed");
    return s;
  }();
  return schema;
}

}  // namespace marketsim
