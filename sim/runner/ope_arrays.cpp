// Off-policy evaluation: the logged slots weighted by target / logging slot probabilities.
#include "sim/runner/ope_arrays.h"

#include <limits>
#include <stdexcept>

namespace marketsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::array<const char*, 4> kEstimators = {"dm", "ips", "snips", "dr"};

}  // namespace

OpeFigures evaluate_target(std::span<const ImpressionRecord> impressions,
                           std::span<const CandidateRecord> candidates,
                           std::span<const TargetRecord> target) {
  std::array<OpeAccumulator, 2> accumulators;
  OpeFigures figures;
  std::size_t row = 0, candidate = 0;
  for (const TargetRecord& request : target) {
    const std::size_t first = candidate;
    while (candidate < candidates.size() &&
           candidates[candidate].transaction == request.transaction)
      ++candidate;
    if (candidate == first || row >= impressions.size() ||
        impressions[row].transaction != request.transaction)
      throw std::invalid_argument("off-policy logs disagree on the logged requests");
    for (std::size_t i = first; i < candidate; ++i) {
      const CandidateRecord& c = candidates[i];
      for (std::size_t s = 0; s < c.slot_probability.size(); ++s) {
        const double p = c.slot_probability[s] * c.true_click[s];
        figures.logging_true_value[0] += p;
        figures.logging_true_value[1] += p * c.true_conversion_probability * c.value_per_conversion;
      }
    }
    accumulators[0].begin_request(request.dm_clicks);
    accumulators[1].begin_request(request.dm_value);
    figures.true_value[0] += request.true_clicks;
    figures.true_value[1] += request.true_value;
    for (std::size_t s = 0; s < request.shown_probability.size(); ++s, ++row) {
      const ImpressionRecord& shown = impressions[row];
      if (shown.transaction != request.transaction || shown.slot != static_cast<int>(s))
        throw std::invalid_argument("off-policy logs disagree on a logged slate");
      const double weight = request.shown_probability[s] / shown.slot_propensity;
      const double click = shown.clicked ? 1.0 : 0.0;
      accumulators[0].add_slot(shown.slot, weight, click, shown.predicted_click);
      accumulators[1].add_slot(shown.slot, weight, shown.conversion_value, shown.predicted_value);
      figures.logging_observed[0] += click;
      figures.logging_observed[1] += shown.conversion_value;
    }
  }
  const double n = static_cast<double>(target.size());
  for (std::size_t k = 0; k < 2; ++k) {
    figures.estimates[k] = accumulators[k].result();
    for (double* x :
         {&figures.true_value[k], &figures.logging_true_value[k], &figures.logging_observed[k]})
      *x = n > 0 ? *x / n : kNaN;
  }
  return figures;
}

ArrayGroup ope_arrays(const std::vector<std::string>& cell_names,
                      const std::vector<std::vector<std::optional<OpeFigures>>>& figures) {
  const std::size_t cells = cell_names.size(), replications = figures.front().size();
  const std::size_t rewards = kOpeRewards.size(), estimators = kEstimators.size();
  ArrayGroup g;
  std::vector<std::int64_t> replication_index;
  for (std::size_t r = 0; r < replications; ++r)
    replication_index.push_back(static_cast<std::int64_t>(r));
  g.dimensions = {Dimension{"cell", "", "cell (experimental condition)", cell_names},
                  Dimension{"replication", "", "replication index", replication_index},
                  Dimension{"reward", "", "reward per logged request",
                            std::vector<std::string>(kOpeRewards.begin(), kOpeRewards.end())},
                  Dimension{"estimator", "", "off-policy estimator",
                            std::vector<std::string>(kEstimators.begin(), kEstimators.end())}};
  const std::size_t per_rep = cells * replications;
  auto add = [&](std::string name, std::string long_name, std::vector<std::size_t> dims,
                 std::size_t size) {
    g.variables.push_back(ArrayVariable{std::move(name), "", std::move(long_name), std::move(dims),
                                        std::vector<double>(size, kNaN)});
    return g.variables.size() - 1;
  };
  const std::size_t estimate = add("estimate", "estimated mean reward per logged request",
                                   {0, 1, 2, 3}, per_rep * rewards * estimators);
  const std::size_t se =
      add("se", "standard error of the estimate", {0, 1, 2, 3}, per_rep * rewards * estimators);
  const std::size_t truth =
      add("true_value",
          "the target's true mean reward on the same requests (its slot probabilities x the true "
          "probabilities)",
          {0, 1, 2}, per_rep * rewards);
  const std::size_t logging_truth =
      add("logging_true_value", "the logging policy's true mean reward on the same requests",
          {0, 1, 2}, per_rep * rewards);
  const std::size_t observed = add("logging_observed", "the logging policy's observed mean reward",
                                   {0, 1, 2}, per_rep * rewards);
  const std::size_t requests = add("requests", "logged requests", {0, 1}, per_rep);
  const std::size_t ess =
      add("effective_sample_size",
          "(sum w)^2 / sum w^2 over the logged slots, w = target / logging", {0, 1}, per_rep);
  const std::size_t max_weight = add("max_weight", "largest importance weight", {0, 1}, per_rep);
  for (std::size_t c = 0; c < cells; ++c)
    for (std::size_t r = 0; r < replications; ++r) {
      if (!figures[c][r]) continue;
      const OpeFigures& f = *figures[c][r];
      const std::size_t at = c * replications + r;
      g.variables[requests].data[at] = f.estimates[0].requests;
      g.variables[ess].data[at] = f.estimates[0].effective_sample_size;
      g.variables[max_weight].data[at] = f.estimates[0].max_weight;
      for (std::size_t k = 0; k < rewards; ++k) {
        g.variables[truth].data[at * rewards + k] = f.true_value[k];
        g.variables[logging_truth].data[at * rewards + k] = f.logging_true_value[k];
        g.variables[observed].data[at * rewards + k] = f.logging_observed[k];
        for (std::size_t e = 0; e < estimators; ++e) {
          const OpeEstimate& x = f.estimates[k].estimate(kEstimators[e]);
          g.variables[estimate].data[(at * rewards + k) * estimators + e] = x.value;
          g.variables[se].data[(at * rewards + k) * estimators + e] = x.se;
        }
      }
    }
  return g;
}

}  // namespace marketsim
