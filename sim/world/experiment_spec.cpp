// ExperimentSpec: the [[experiments]] keys and the arms' recommenders built over a cell's values.
#include "sim/world/experiment_spec.h"

#include <algorithm>
#include <cmath>
#include "agents/partner.h"

#include "sim/core/error.h"
#include "sim/core/hash.h"
#include "sim/world/world_spec.h"

namespace marketsim {

std::vector<ParamSpec> ExperimentSpec::declare() {
  ParamSpec name = ParamSpec::string(
      "name", "", "name of the experiment (its group /experiments/NAME); its [[arms]] name it");
  name.default_value.reset();  // required
  return {
      name,
      ParamSpec::choice("unit", "user", {"user", "session", "partner"},
                        "randomization unit: a user (all visits), a session (one transaction) or "
                        "a partner (all its traffic)"),
      ParamSpec::integer("salt", 0, 0, 9007199254740992.0,
                         "layer salt of the assignment hash (0: derived from the name); "
                         "experiments on different salts are orthogonal"),
      ParamSpec::choice("segment", "none", {"none", "device", "vertical", "day"},
                        "break every figure down by the user's device, the partner's vertical or "
                        "the day of the run"),
      ParamSpec::real_list("rollout_h", {0.0}, 0, 0, 1e9,
                           "start of each rollout stage, ascending from 0", "h"),
      ParamSpec::real_list("rollout_share", {1.0}, 0, 0, 1,
                           "share of units enrolled from the matching stage on, split by the arms' "
                           "weights (non-decreasing; enrolled units keep their arm); arms with "
                           "their own shares replace it"),
      ParamSpec::real("mixture_sd", 0.1, 1e-6, 1e3,
                      "mSPRT normal mixture's standard deviation, in standard deviations of the "
                      "control's per-unit metric"),
      ParamSpec::real("alpha", 0.05, 1e-6, 0.5,
                      "significance level of the first-significant-look summaries"),
      ParamSpec::boolean("isolate_arms", false,
                         "give every arm its own copy of every component (its models learn only "
                         "from its own traffic); false: arms share what they do not configure"),
      ParamSpec::boolean("truth", true,
                         "also run one counterfactual world per arm with every unit in that arm "
                         "(the true effect; costs one world per arm)"),
  };
}

std::vector<std::string> segment_names(ExperimentSegment segment, double duration_h) {
  std::vector<std::string> names{"all"};
  switch (segment) {
    case ExperimentSegment::kNone:
      break;
    case ExperimentSegment::kDevice:
      names.insert(names.end(), {"android", "ios", "desktop"});
      break;
    case ExperimentSegment::kVertical:
      for (const char* v : kVerticalNames) names.emplace_back(v);
      break;
    case ExperimentSegment::kDay:
      for (int d = 0; d < static_cast<int>(std::ceil(duration_h / 24.0)); ++d)
        names.push_back("day" + std::to_string(d));
      break;
  }
  return names;
}

std::vector<ExperimentSpec> experiments_of(const ParamValues& values,
                                           const std::vector<ArmSpec>& arms) {
  std::vector<ExperimentSpec> experiments;
  const std::int64_t count = values.contains("experiments") ? values.get_int("experiments") : 0;
  for (std::int64_t i = 0; i < count; ++i) {
    const std::string head = "experiments." + std::to_string(i) + ".";
    ExperimentSpec e;
    e.name = values.get_string(head + "name");
    const std::string& unit = values.get_string(head + "unit");
    e.unit = unit == "user"      ? ExperimentUnit::kUser
             : unit == "session" ? ExperimentUnit::kSession
                                 : ExperimentUnit::kPartner;
    const std::int64_t salt = values.get_int(head + "salt");
    std::uint64_t derived = 0;
    for (char c : e.name) derived = splitmix64(derived ^ static_cast<unsigned char>(c));
    e.salt = salt != 0 ? static_cast<std::uint64_t>(salt) : (derived | 1);
    const std::string& segment = values.get_string(head + "segment");
    e.segment = segment == "none"       ? ExperimentSegment::kNone
                : segment == "device"   ? ExperimentSegment::kDevice
                : segment == "vertical" ? ExperimentSegment::kVertical
                                        : ExperimentSegment::kDay;
    e.rollout_h = values.get_real_list(head + "rollout_h");
    e.rollout_share = values.get_real_list(head + "rollout_share");
    e.mixture_sd = values.get_real(head + "mixture_sd");
    e.alpha = values.get_real(head + "alpha");
    e.truth = values.get_bool(head + "truth");
    e.isolate_arms = values.get_bool(head + "isolate_arms");
    std::size_t ramped = 0;
    for (const ArmSpec& arm : arms) {
      if (arm.experiment != e.name) continue;
      e.arms.push_back(ExperimentArm{arm.name, arm.weight, arm.shares});
      if (arm.shares.empty()) continue;
      ++ramped;
      const auto arms_here = std::count_if(
          arms.begin(), arms.end(), [&](const ArmSpec& a) { return a.experiment == e.name; });
      if (arm.shares.size() != e.rollout_h.size())
        throw UsageError(param_error_message(
            arm.where, "arms.shares",
            "needs one share per rollout_h stage (" + std::to_string(e.rollout_h.size()) + ")"));
      for (std::size_t s = 0; s < arm.shares.size(); ++s) {
        if (arm.shares[s] > 1.0 / static_cast<double>(arms_here) + 1e-12)
          throw UsageError(param_error_message(
              arm.where, "arms.shares",
              "each share must be at most 1 / arms = " + format_value(1.0 / arms_here)));
        if (s > 0 && arm.shares[s] < arm.shares[s - 1])
          throw UsageError(param_error_message(arm.where, "arms.shares",
                                               "shares may not decrease (units keep their arm)"));
      }
    }
    if (ramped == 0 && e.rollout_h.size() != e.rollout_share.size())
      values.fail(head + "rollout_share", "needs one share per rollout_h stage (" +
                                              std::to_string(e.rollout_h.size()) + ")");
    if (e.rollout_h.front() != 0) values.fail(head + "rollout_h", "the first stage starts at 0");
    for (std::size_t s = 1; s < e.rollout_h.size(); ++s) {
      if (e.rollout_h[s] <= e.rollout_h[s - 1])
        values.fail(head + "rollout_h", "stages must start in ascending order");
      if (ramped == 0 && e.rollout_share[s] < e.rollout_share[s - 1])
        values.fail(head + "rollout_share",
                    "shares may not decrease (enrolled units stay in their arm)");
    }
    if (ramped != 0 && ramped != e.arms.size())
      values.fail(head + "name", "either every arm of experiment " + format_value(e.name) +
                                     " gives its shares or none does");
    if (ramped != 0 && !values.location(head + "rollout_share").file.empty())
      values.fail(head + "rollout_share",
                  "the arms give their own shares; rollout_share does not apply");
    for (std::size_t j = 0; j < experiments.size(); ++j)
      if (experiments[j].salt == e.salt)
        values.fail(head + "salt", "experiment " + format_value(experiments[j].name) +
                                       " has the same salt; experiments need distinct layers");
    experiments.push_back(std::move(e));
  }
  return experiments;
}

ArmCombinations arm_combinations(const ParamValues& values, const std::vector<ArmSpec>& arms,
                                 const std::vector<ExperimentSpec>& experiments,
                                 const RecommenderSpec& own) {
  std::size_t combinations = 1;
  for (const ExperimentSpec& e : experiments) {
    combinations *= e.arms.size() + 1;
    if (combinations > kMaxArmCombinations)
      values.fail("experiments", "the experiments' arms make more than " +
                                     std::to_string(kMaxArmCombinations) +
                                     " combinations of recommenders");
  }
  std::vector<std::vector<const ArmSpec*>> arms_of(experiments.size());
  for (std::size_t e = 0; e < experiments.size(); ++e)
    for (const ArmSpec& arm : arms)
      if (arm.experiment == experiments[e].name) arms_of[e].push_back(&arm);
  const auto sets_under = [](const ArmSpec& arm, const char* prefix) {
    for (const auto& [key, value] : arm.overrides)
      if (key.starts_with(prefix)) return true;
    return false;
  };
  ArmCombinations result{{own}, {ComponentInstances{}}, {""}, {SourceLocation{}}};
  for (std::size_t c = 1; c < combinations; ++c) {
    ParamValues combined = values;
    ComponentInstances instances{};
    std::vector<const ArmSpec*> applied;
    std::uint32_t radix = 1;
    for (std::size_t e = experiments.size(), rest = c; e-- > 0;) {
      const std::size_t base = experiments[e].arms.size() + 1;
      const std::size_t digit = rest % base;
      rest /= base;
      if (digit > 0) {
        const ArmSpec& arm = *arms_of[e][digit - 1];
        applied.insert(applied.begin(), &arm);
        for (std::size_t k = 0; k < arm.overrides.size(); ++k)
          combined.set(arm.overrides[k].first, arm.overrides[k].second, arm.override_where[k]);
        for (std::size_t k = 0; k < kRecommenderComponentCount; ++k)
          if (experiments[e].isolate_arms || sets_under(arm, kRecommenderComponentPrefix[k]))
            instances[k] += static_cast<std::uint32_t>(digit) * radix;
      }
      radix *= static_cast<std::uint32_t>(base);
    }
    std::string named;
    for (const ArmSpec* arm : applied)
      named += (named.empty() ? "arm " : " with arm ") + format_value(arm->name) +
               " of experiment " + format_value(arm->experiment);
    try {
      result.recommenders.push_back(recommender_spec_of(combined));
    } catch (const UsageError& error) {
      throw UsageError(
          param_error_message(applied.front()->where, "arms.set", named + ": " + error.what()));
    }
    result.instances.push_back(instances);
    result.names.push_back(named);
    result.where.push_back(applied.front()->where);
  }
  return result;
}

}  // namespace marketsim
