// The /models/<cell> arrays and the /alerts table built from the replications' model captures.
#include <algorithm>
#include <limits>
#include <string>

#include "sim/runner/model_figures.h"

namespace marketsim {
namespace {

constexpr int kBins = PredictionMetrics::kReliabilityBins;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One monitor figure of every replication: `of` picks it from a MonitorCapture.
void add_monitor_variable(ArrayGroup& g, const std::vector<const ModelCapture*>& by_replication,
                          std::size_t m, std::string name, std::string long_name,
                          std::vector<std::size_t> dims, std::size_t per_replication,
                          const std::vector<double>& (*of)(const MonitorCapture&)) {
  ArrayVariable v{std::move(name), "", std::move(long_name), std::move(dims),
                  std::vector<double>(by_replication.size() * per_replication, kNaN)};
  for (std::size_t r = 0; r < by_replication.size(); ++r)
    if (by_replication[r]) {
      const std::vector<double>& values = of(by_replication[r]->monitors[m]);
      std::copy(values.begin(), values.end(), v.data.begin() + r * per_replication);
    }
  g.variables.push_back(std::move(v));
}

void add_monitor_variables(ArrayGroup& g, const std::vector<const ModelCapture*>& by_replication,
                           std::size_t m, std::size_t windows, std::size_t fields) {
  const auto model = static_cast<EvaluatedModel>(m);
  const std::string p = std::string(prefix_of(model)) + "_";
  const std::string of_model = ", " + label_of(model);
  add_monitor_variable(
      g, by_replication, m, p + "psi",
      "population stability index of the served feature against the reference" + of_model,
      {0, 1, 3}, windows * fields, [](const MonitorCapture& c) -> const auto& { return c.psi; });
  add_monitor_variable(
      g, by_replication, m, p + "ks",
      "Kolmogorov-Smirnov statistic of the served feature against the reference" + of_model,
      {0, 1, 3}, windows * fields, [](const MonitorCapture& c) -> const auto& { return c.ks; });
  add_monitor_variable(
      g, by_replication, m, p + "prediction_psi",
      "population stability index of the served predictions" + of_model, {0, 1}, windows,
      [](const MonitorCapture& c) -> const auto& { return c.prediction_psi; });
  add_monitor_variable(
      g, by_replication, m, p + "prediction_ks",
      "Kolmogorov-Smirnov statistic of the served predictions" + of_model, {0, 1}, windows,
      [](const MonitorCapture& c) -> const auto& { return c.prediction_ks; });
  add_monitor_variable(
      g, by_replication, m, p + "matured_calibration_ratio",
      "served predictions / labels, over the labels that matured in the window" + of_model, {0, 1},
      windows, [](const MonitorCapture& c) -> const auto& { return c.matured_calibration_ratio; });
  add_monitor_variable(
      g, by_replication, m, p + "alerts",
      "monitor alerts raised at the end of the window" + of_model, {0, 1}, windows,
      [](const MonitorCapture& c) -> const auto& { return c.alerts; });
}

// The importance measures of model m, over a dimension of its feature columns.
void add_importance_variables(ArrayGroup& g, const std::vector<const ModelCapture*>& by_replication,
                              std::size_t m) {
  const ModelCapture* first = nullptr;
  for (const ModelCapture* c : by_replication)
    if (c && !first) first = c;
  if (!first || first->columns[m].empty()) return;
  const auto model = static_cast<EvaluatedModel>(m);
  const std::string p = std::string(prefix_of(model)) + "_";
  const std::vector<std::string>& columns = first->columns[m];
  g.dimensions.push_back(Dimension{p + "column", "", "feature column of the model", columns});
  const std::size_t dim = g.dimensions.size() - 1;
  for (std::size_t i = 0; i < first->importance[m].size(); ++i) {
    const std::string& kind = first->importance[m][i].kind;
    const std::string long_name =
        kind == "permutation"
            ? "mean increase of log loss (nats) on held-out examples with the column permuted"
        : kind == "gain" ? "total split gain on the column"
                         : "number of splits on the column";
    ArrayVariable v{p + kind + "_importance",
                    "",
                    long_name + ", " + label_of(model),
                    {0, dim},
                    std::vector<double>(by_replication.size() * columns.size(), kNaN)};
    for (std::size_t r = 0; r < by_replication.size(); ++r)
      if (by_replication[r]) {
        const std::vector<double>& values = by_replication[r]->importance[m][i].values;
        std::copy(values.begin(), values.end(), v.data.begin() + r * columns.size());
      }
    g.variables.push_back(std::move(v));
  }
}

}  // namespace

ArrayGroup model_arrays(const std::vector<const ModelCapture*>& by_replication,
                        const std::vector<double>& window_end, double reliability_upper) {
  const std::size_t replications = by_replication.size(), windows = window_end.size();
  ArrayGroup g;
  std::vector<std::int64_t> replication_index(replications), bin_index(kBins);
  for (std::size_t r = 0; r < replications; ++r)
    replication_index[r] = static_cast<std::int64_t>(r);
  std::vector<double> lower(kBins), upper(kBins);
  for (int b = 0; b < kBins; ++b) {
    bin_index[b] = b;
    lower[b] = reliability_upper * b / kBins;
    upper[b] = reliability_upper * (b + 1) / kBins;
  }
  std::vector<std::string> field_names;
  for (Field f : monitored_fields()) field_names.emplace_back(field_name(f));
  const std::size_t fields = field_names.size();
  g.dimensions = {Dimension{"replication", "", "replication index", replication_index},
                  Dimension{"time", "h", "end of window", window_end},
                  Dimension{"bin", "", "reliability bin", bin_index},
                  Dimension{"field", "", "monitored feature", field_names}};
  g.variables.push_back({"bin_lower", "", "lower edge of the bin's predictions", {2}, lower});
  g.variables.push_back({"bin_upper",
                         "",
                         "upper edge of the bin's predictions (the last bin takes all above)",
                         {2},
                         upper});
  for (std::size_t m = 0; m < kEvaluatedModels; ++m) {
    const auto model = static_cast<EvaluatedModel>(m);
    const std::string prefix = prefix_of(model);
    for (std::size_t f = 0; f < model_figures().size(); ++f) {
      const ModelFigure& figure = model_figures()[f];
      ArrayVariable v{prefix + "_" + figure.name,
                      figure.units,
                      std::string(figure.long_name) + ", " + label_of(model),
                      {0, 1},
                      std::vector<double>(replications * windows, kNaN)};
      for (std::size_t r = 0; r < replications; ++r)
        if (by_replication[r])
          std::copy(by_replication[r]->windows[m][f].begin(),
                    by_replication[r]->windows[m][f].end(), v.data.begin() + r * windows);
      g.variables.push_back(std::move(v));
    }
    for (std::size_t f = 0; f < bin_figures().size(); ++f) {
      const BinFigure& figure = bin_figures()[f];
      ArrayVariable v{prefix + "_" + figure.name,
                      "",
                      std::string(figure.long_name) + ", " + label_of(model),
                      {0, 1, 2},
                      std::vector<double>(replications * windows * kBins, kNaN)};
      for (std::size_t r = 0; r < replications; ++r)
        if (by_replication[r])
          std::copy(by_replication[r]->bins[m][f].begin(), by_replication[r]->bins[m][f].end(),
                    v.data.begin() + r * windows * kBins);
      g.variables.push_back(std::move(v));
    }
    add_monitor_variables(g, by_replication, m, windows, fields);
    add_importance_variables(g, by_replication, m);
  }
  return g;
}

Table alert_table(const std::vector<const ModelCapture*>& rows,
                  const std::vector<std::int64_t>& cells,
                  const std::vector<std::int64_t>& replications,
                  const std::vector<std::string>& cell_names) {
  std::vector<std::int64_t> cell, replication, model, kind, field;
  std::vector<double> time, value, threshold;
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t m = 0; m < kEvaluatedModels; ++m)
      for (const MonitorAlert& a : rows[i]->monitors[m].alert_log) {
        cell.push_back(cells[i]);
        replication.push_back(replications[i]);
        time.push_back(a.time_h);
        model.push_back(static_cast<std::int64_t>(m));
        kind.push_back(static_cast<std::int64_t>(a.kind));
        field.push_back(a.field);
        value.push_back(a.value);
        threshold.push_back(a.threshold);
      }
  std::vector<std::string> fields;
  for (Field f : monitored_fields()) fields.emplace_back(field_name(f));
  return Table{
      {Column{"cell", "", "cell (experimental condition)", cell, cell_names},
       Column{"replication", "", "replication index", replication, {}},
       Column{"time", "h", "end of the window the alert was raised at", time, {}},
       Column{"model", "", "the model monitored", model, {"ctr", "cvr"}},
       Column{"kind", "", "what crossed its threshold", kind, {"feature_psi", "calibration"}},
       Column{"field", "", "monitored field of a feature_psi alert, -1 otherwise", field, {}},
       Column{"value", "", "the PSI, or the matured calibration ratio", value, {}},
       Column{"threshold",
              "",
              "the PSI threshold, or the calibration tolerance t (alert outside [1/t, t])",
              threshold,
              {}}}};
}

}  // namespace marketsim
