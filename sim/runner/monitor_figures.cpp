#include "sim/runner/monitor_figures.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <span>

#include "analysis/metrics/distribution_shift.h"

namespace marketsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// [begin, end) of the windows whose training examples are window w's reference: the windows of
// the training window of the last retrain by the middle of window w (a retrain runs at the first
// request after its time, so one "at" a window's start serves that window), or, for an online
// model and before a batch model's first retrain (its online warm-up), the reference_h before w.
std::pair<std::size_t, std::size_t> reference_windows(std::size_t w, SimTime width,
                                                      const WorldSpec& spec, bool batch,
                                                      double training_window_h,
                                                      const std::vector<SimTime>& retrains) {
  const SimTime middle = static_cast<SimTime>(w) * width + width / 2;
  const auto last = std::upper_bound(retrains.begin(), retrains.end(), middle);
  if (!batch || last == retrains.begin()) {
    const auto k = static_cast<std::size_t>(
        std::max(1.0, std::round(spec.evaluation.reference_h / spec.run.window_h)));
    return {w > k ? w - k : 0, w};
  }
  const SimTime retrain = *(last - 1);
  const SimTime from = std::max<SimTime>(0, retrain - hours_to_time(training_window_h));
  const auto end =
      std::min<std::size_t>(w, static_cast<std::size_t>((retrain + width - 1) / width));
  const auto begin = std::min<std::size_t>(static_cast<std::size_t>(from / width),
                                           end - std::min<std::size_t>(end, 1));
  return {begin, end};
}

void add_to(std::vector<double>& sum, std::span<const double> values) {
  for (std::size_t i = 0; i < values.size(); ++i) sum[i] += values[i];
}

double total(std::span<const double> values) {
  return std::accumulate(values.begin(), values.end(), 0.0);
}

}  // namespace

MonitorCapture monitor_model(const ModelMonitor& monitor, EvaluatedModel model,
                             const WorldSpec& spec, bool batch, double training_window_h,
                             const std::vector<SimTime>& retrain_times) {
  const std::size_t windows = monitor.window_count();
  const std::size_t fields = monitored_fields().size();
  const SimTime width = std::max<SimTime>(1, hours_to_time(spec.run.window_h));
  const EvaluationSpec& e = spec.evaluation;
  const auto min_count = static_cast<double>(e.monitor_min_count);
  MonitorCapture c;
  c.psi.assign(windows * fields, kNaN);
  c.ks.assign(windows * fields, kNaN);
  for (auto* v : {&c.prediction_psi, &c.prediction_ks, &c.matured_calibration_ratio, &c.alerts})
    v->assign(windows, kNaN);
  std::vector<double> reference_fields(fields * kFieldBins), reference_predictions(kPredictionBins);
  for (std::size_t w = 0; w < windows; ++w) {
    const double end_h = time_to_hours(
        std::min<SimTime>(static_cast<SimTime>(w + 1) * width, hours_to_time(spec.run.duration_h)));
    double alerts = 0;
    const auto raise = [&](AlertKind kind, std::int64_t field, double value, double threshold) {
      c.alert_log.push_back(MonitorAlert{end_h, kind, field, value, threshold});
      alerts += 1;
    };
    const auto [begin, end] =
        reference_windows(w, width, spec, batch, training_window_h, retrain_times);
    std::fill(reference_fields.begin(), reference_fields.end(), 0.0);
    std::fill(reference_predictions.begin(), reference_predictions.end(), 0.0);
    for (std::size_t r = begin; r < end; ++r) {
      add_to(reference_fields, monitor.training_fields(model, r));
      add_to(reference_predictions, monitor.serving_predictions(model, r));
    }
    const std::span<const double> serving = monitor.serving_fields(model, w);
    const std::span<const double> predictions = monitor.serving_predictions(model, w);
    const bool comparable =
        begin < end && total(predictions) >= min_count &&
        total(reference_predictions) >= min_count &&
        total(std::span<const double>(reference_fields).first(kFieldBins)) >= min_count;
    if (comparable) {
      for (std::size_t f = 0; f < fields; ++f) {
        const auto expected =
            std::span<const double>(reference_fields).subspan(f * kFieldBins, kFieldBins);
        const auto actual = serving.subspan(f * kFieldBins, kFieldBins);
        c.psi[w * fields + f] = population_stability_index(expected, actual);
        c.ks[w * fields + f] = ks_statistic(expected, actual);
        const Field field = monitored_fields()[f];
        if (model == EvaluatedModel::kCtr && !is_offer_field(field) && field != Field::kSlot &&
            c.psi[w * fields + f] > e.psi_threshold)
          raise(AlertKind::kFeaturePsi, static_cast<std::int64_t>(f), c.psi[w * fields + f],
                e.psi_threshold);
      }
      c.prediction_psi[w] = population_stability_index(reference_predictions, predictions);
      c.prediction_ks[w] = ks_statistic(reference_predictions, predictions);
    }
    const auto matured = monitor.matured(model, w);  // count, positives, predictions
    if (matured[1] > 0) c.matured_calibration_ratio[w] = matured[2] / matured[1];
    if (matured[0] >= min_count && (matured[1] > 0 || matured[2] > 0)) {
      // No positive at all against positive predictions is an infinite over-prediction.
      const double ratio =
          matured[1] > 0 ? c.matured_calibration_ratio[w] : std::numeric_limits<double>::infinity();
      if (ratio > e.calibration_tolerance || ratio < 1 / e.calibration_tolerance)
        raise(AlertKind::kCalibration, -1, ratio, e.calibration_tolerance);
    }
    c.alerts[w] = alerts;
  }
  return c;
}

}  // namespace marketsim
