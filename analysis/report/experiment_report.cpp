// Experiment and off-policy blocks of the report, read from their labeled array groups.
#include "analysis/report/experiment_report.h"

#include <hdf5.h>

#include <cmath>

#include "analysis/report/report_table.h"

namespace marketsim {
namespace {

// The names of the children of `group`, in HDF5's (alphabetical) order.
std::vector<std::string> children(const h5::Node& group) {
  std::vector<std::string> names;
  H5Literate(
      group.id(), H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
        static_cast<std::vector<std::string>*>(out)->emplace_back(name);
        return 0;
      },
      &names);
  return names;
}

std::size_t length(const h5::Node& group, const std::string& dimension) {
  return static_cast<std::size_t>(group.open_dataset(dimension).size());
}

// Share of `flags` that are true, as text.
std::string share(const std::vector<bool>& flags) {
  if (flags.empty()) return "-";
  double hits = 0;
  for (bool f : flags) hits += f;
  return number(hits / static_cast<double>(flags.size()));
}

const std::vector<std::string> kHeadline = {"revenue_per_unit", "clicks_per_unit",
                                            "policy_value_per_unit", "ctr"};

std::string one_experiment(const h5::Node& g, const std::string& name,
                           const std::vector<std::string>& cells) {
  const std::vector<std::string> arms = g.open_dataset("arm").read_strings();
  const std::size_t C = length(g, "cell"), R = length(g, "replication"), T = length(g, "time");
  const std::size_t A = arms.size(), S = length(g, "segment");
  const std::vector<double> times = g.open_dataset("time").read_doubles();
  const std::vector<double> alpha = g.open_dataset("alpha").read_doubles();  // per cell
  std::string out = "\nexperiment " + name + ": arms against " + arms[0] + ", last look at " +
                    number(times.back()) +
                    " h, all units\nlast, any look, mSPRT: share of replications significant (p < "
                    "alpha) by each test\n";
  for (const std::string& metric : kHeadline) {
    std::vector<std::vector<std::string>> table = {
        {"  cell", "arm", "estimate", "true effect", "bias", "last", "any look", "mSPRT"}};
    const auto effect = g.open_dataset(metric + "_effect").read_doubles();
    const auto truth = g.open_dataset("true_" + metric + "_effect").read_doubles();
    const auto p = g.open_dataset(metric + "_p_value").read_doubles();
    const auto first = g.open_dataset(metric + "_first_significant_h").read_doubles();
    const auto msprt = g.open_dataset(metric + "_msprt_first_significant_h").read_doubles();
    for (std::size_t c = 0; c < C; ++c)
      for (std::size_t a = 1; a < A; ++a) {
        std::vector<double> estimates, true_effects, bias;
        std::vector<bool> last, any, sequential;
        for (std::size_t r = 0; r < R; ++r) {
          const std::size_t at = (((c * R + r) * T + (T - 1)) * A + a) * S;
          if (std::isnan(effect[at])) continue;
          estimates.push_back(effect[at]);
          if (!std::isnan(truth[at])) {
            true_effects.push_back(truth[at]);
            bias.push_back(effect[at] - truth[at]);
          }
          last.push_back(p[at] < alpha[c]);
          const std::size_t per_arm = ((c * R + r) * A + a) * S;
          any.push_back(!std::isnan(first[per_arm]));
          sequential.push_back(!std::isnan(msprt[per_arm]));
        }
        table.push_back({"  " + (c < cells.size() ? cells[c] : "?"), arms[a],
                         format(estimate(estimates)), format(estimate(true_effects)),
                         format(estimate(bias)), share(last), share(any), share(sequential)});
      }
    out += "\n" + metric + "\n" + render(table);
  }
  return out;
}

}  // namespace

std::string experiment_report(const h5::Node& root, const std::vector<std::string>& cells) {
  if (!root.has_child("experiments")) return "";
  const h5::Node experiments = root.open_group("experiments");
  std::string out;
  for (const std::string& name : children(experiments))
    out += one_experiment(experiments.open_group(name), name, cells);
  return out;
}

std::string ope_report(const h5::Node& root, const std::vector<std::string>& cells) {
  if (!root.has_child("ope")) return "";
  const h5::Node targets = root.open_group("ope");
  std::string out;
  for (const std::string& name : children(targets)) {
    const h5::Node g = targets.open_group(name);
    const std::vector<std::string> rewards = g.open_dataset("reward").read_strings();
    const std::vector<std::string> estimators = g.open_dataset("estimator").read_strings();
    const std::size_t C = length(g, "cell"), R = length(g, "replication");
    const std::size_t K = rewards.size(), E = estimators.size();
    const auto value = g.open_dataset("estimate").read_doubles();
    const auto se = g.open_dataset("se").read_doubles();
    const auto truth = g.open_dataset("true_value").read_doubles();
    const auto logging = g.open_dataset("logging_true_value").read_doubles();
    out += "\noff-policy target " + name +
           ": mean reward per logged request\nerror = estimate - the target's true value on the "
           "same requests; covered = share of replications\nwhose estimate ± 1.96 se holds the "
           "truth\n";
    for (std::size_t k = 0; k < K; ++k) {
      std::vector<std::vector<std::string>> table = {
          {"  cell", "estimator", "estimate", "error", "covered", "true value"}};
      std::string logging_line;
      for (std::size_t c = 0; c < C; ++c) {
        std::vector<double> truths, loggings;
        for (std::size_t r = 0; r < R; ++r) {
          const std::size_t at_truth = (c * R + r) * K + k;
          if (std::isnan(truth[at_truth])) continue;
          truths.push_back(truth[at_truth]);
          loggings.push_back(logging[at_truth]);
        }
        const std::string cell = c < cells.size() ? cells[c] : "?";
        logging_line += "  the logging policy's true value in " + cell + ": " +
                        format(estimate(loggings)) + "\n";
        for (std::size_t e = 0; e < E; ++e) {
          std::vector<double> estimates, errors;
          std::vector<bool> covered;
          for (std::size_t r = 0; r < R; ++r) {
            const std::size_t at = ((c * R + r) * K + k) * E + e, at_truth = (c * R + r) * K + k;
            if (std::isnan(value[at])) continue;
            estimates.push_back(value[at]);
            errors.push_back(value[at] - truth[at_truth]);
            covered.push_back(std::abs(value[at] - truth[at_truth]) <= 1.96 * se[at]);
          }
          table.push_back({"  " + cell, estimators[e], format(estimate(estimates)),
                           format(estimate(errors)), share(covered),
                           e == 0 ? format(estimate(truths)) : ""});
        }
      }
      out += "\n" + rewards[k] + "\n" + render(table) + logging_line;
    }
  }
  return out;
}

}  // namespace marketsim
