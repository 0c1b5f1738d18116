// The model monitor's statistics and alerts, computed from its per-window histograms.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/sim_time.h"
#include "sim/world/model_monitor.h"
#include "sim/world/world_spec.h"

namespace marketsim {

// What an alert fired on: a request feature's PSI for the click model (data drift, train/serve
// skew) or a model's matured calibration ratio (concept drift). Offer and slot features, the
// predictions and the conversion model's features (clicked offers) move with the policy itself,
// so their PSI and KS are reported but raise no alert.
enum class AlertKind : std::int64_t { kFeaturePsi, kCalibration };

// One alert of the monitor, raised at the end of a window.
struct MonitorAlert {
  double time_h;  // end of the window
  AlertKind kind;
  std::int64_t field;  // index into monitored_fields() for kFeaturePsi, else -1
  double value;        // the PSI, or the matured calibration ratio (inf: no positive label)
  double threshold;    // the threshold it crossed (the tolerance t: outside [1/t, t])
};

// The monitor's figures of one evaluated model over one replication. Each window is compared with
// its reference: for an online model (and a batch model in its warm-up) the training examples
// matured in the evaluation.reference_h before the window, for a batch model those its last
// retrain by the window's middle fitted (its training window); window 0 has no reference (NaN).
// Statistics need evaluation.monitor_min_count examples on both sides, else they are NaN.
struct MonitorCapture {
  std::vector<double> psi;  // window x monitored field: serving vs reference training features
  std::vector<double> ks;
  std::vector<double> prediction_psi;  // per window: serving predictions vs the reference's
  std::vector<double> prediction_ks;
  std::vector<double> matured_calibration_ratio;  // per window: served / labels matured in it
  std::vector<double> alerts;                     // per window: alerts raised
  std::vector<MonitorAlert> alert_log;
};

// Computes the monitor's figures of `model` in a finished replication. `retrain_times` are the
// model's batch retrains (empty for an online model, which sets `batch` false).
MonitorCapture monitor_model(const ModelMonitor& monitor, EvaluatedModel model,
                             const WorldSpec& spec, bool batch, double training_window_h,
                             const std::vector<SimTime>& retrain_times);

}  // namespace marketsim
