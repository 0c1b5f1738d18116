// PidPacer: error, anti-windup integral and multiplier per advertiser.
#include "policies/pacing/pid_pacer.h"

#include <algorithm>
#include <cmath>
#include <memory>

namespace marketsim {

PidPacer::PidPacer(const PidParams& params, std::size_t advertisers)
    : params_(params),
      multiplier_(advertisers, params.initial_multiplier),
      integral_(advertisers, 0.0),
      last_error_(advertisers, 0.0) {}

void PidPacer::do_update(const PacingView& view) {
  check_view_size(view, multiplier_.size());
  const bool new_day = clock_.advance(view);
  for (std::size_t a = 0; a < multiplier_.size(); ++a) {
    const double budget = view.daily_budget[a];
    if (!pacable_budget(budget)) {
      multiplier_[a] = budget > 0.0 ? 1.0 : 0.0;
    } else if (new_day) {
      multiplier_[a] = params_.initial_multiplier;
      integral_[a] = 0.0;
      last_error_[a] = 0.0;
    } else if (clock_.step_hours() > 0.0) {
      multiplier_[a] = step(a, (budget * clock_.elapsed() - view.spent_today[a]) / budget);
    }
  }
}

double PidPacer::step(std::size_t a, double error) {
  const double dt = clock_.step_hours();
  const double lo = std::log(params_.min_multiplier);
  const double hi = std::log(params_.max_multiplier);
  const double base = std::log(params_.initial_multiplier) + params_.kp * error +
                      params_.kd * (error - last_error_[a]) / dt;
  const double integral = integral_[a] + error * dt;
  const double u = base + params_.ki * integral;
  const bool winding_up = (u > hi && error > 0.0) || (u < lo && error < 0.0);
  if (!winding_up) integral_[a] = integral;
  last_error_[a] = error;
  return std::exp(std::clamp(base + params_.ki * integral_[a], lo, hi));
}

double PidPacer::do_participation(std::uint32_t advertiser, RngStream&) {
  return multiplier_.at(advertiser);
}

void register_pid_pacer(PacerRegistry& registry) {
  const PidParams d;
  registry.add(
      {"pid",
       "PI(D) feedback on each advertiser's bid multiplier toward even spend over the day",
       {ParamSpec::real("kp", d.kp, 0, 1000, "proportional gain on the share of budget behind"),
        ParamSpec::real("ki", d.ki, 0, 1000, "integral gain", "1/h"),
        ParamSpec::real("kd", d.kd, 0, 100, "derivative gain", "h"),
        ParamSpec::real("min_multiplier", d.min_multiplier, 1e-4, 100, "lowest bid multiplier"),
        ParamSpec::real("max_multiplier", d.max_multiplier, 1e-4, 100, "highest bid multiplier"),
        ParamSpec::real("initial_multiplier", d.initial_multiplier, 1e-4, 100,
                        "bid multiplier at the start of each day")}},
      [](const ParamValues& p, std::size_t advertisers) {
        PidParams params;
        params.kp = p.get_real("kp");
        params.ki = p.get_real("ki");
        params.kd = p.get_real("kd");
        params.min_multiplier = p.get_real("min_multiplier");
        params.max_multiplier = p.get_real("max_multiplier");
        params.initial_multiplier = p.get_real("initial_multiplier");
        if (params.max_multiplier < params.min_multiplier)
          p.fail(p.first_set({"min_multiplier", "max_multiplier"}),
                 "min_multiplier (" + format_value(params.min_multiplier) +
                     ") must not exceed max_multiplier (" + format_value(params.max_multiplier) +
                     ")");
        if (params.initial_multiplier < params.min_multiplier ||
            params.initial_multiplier > params.max_multiplier)
          p.fail(p.first_set({"initial_multiplier", "min_multiplier", "max_multiplier"}),
                 "initial_multiplier (" + format_value(params.initial_multiplier) +
                     ") must lie in [min_multiplier, max_multiplier] = [" +
                     format_value(params.min_multiplier) + ", " +
                     format_value(params.max_multiplier) + "]");
        return std::make_unique<PidPacer>(params, advertisers);
      });
}

}  // namespace marketsim
