// ThrottlePacer: demand estimate, desired spend rate and participation probability.
#include "policies/pacing/throttle.h"

#include <algorithm>
#include <memory>

namespace marketsim {

ThrottlePacer::ThrottlePacer(const ThrottleParams& params, std::size_t advertisers)
    : params_(params),
      probability_(advertisers, params.initial_probability),
      demand_(advertisers, -1.0),
      last_spent_(advertisers, 0.0) {}

void ThrottlePacer::do_update(const PacingView& view) {
  check_view_size(view, probability_.size());
  const bool new_day = clock_.advance(view);
  for (std::size_t a = 0; a < probability_.size(); ++a) {
    const double budget = view.daily_budget[a];
    const double spent = view.spent_today[a];
    if (!pacable_budget(budget)) {
      probability_[a] = budget > 0.0 ? 1.0 : 0.0;
    } else if (new_day) {
      probability_[a] = params_.initial_probability;
      demand_[a] = -1.0;
    } else if (clock_.step_hours() > 0.0) {
      probability_[a] = replan(a, budget, spent);
    }
    last_spent_[a] = spent;
  }
}

double ThrottlePacer::replan(std::size_t a, double budget, double spent) {
  const double dt = clock_.step_hours();
  const double was_in = std::max(probability_[a], params_.min_probability);
  const double full_rate = std::max(0.0, spent - last_spent_[a]) / (was_in * dt);
  demand_[a] =
      demand_[a] < 0.0 ? full_rate : (1.0 - params_.gain) * demand_[a] + params_.gain * full_rate;
  const double horizon = std::min(params_.catch_up_hours, clock_.remaining_hours());
  double desired = 0.0;
  if (spent < budget && horizon > 0.0) {
    const double gap = budget * clock_.elapsed() - spent;
    desired = std::max(0.0, budget / clock_.day_hours() + gap / horizon);
  }
  if (demand_[a] <= 0.0) return desired > 0.0 ? 1.0 : params_.min_probability;
  return std::clamp(desired / demand_[a], params_.min_probability, 1.0);
}

double ThrottlePacer::do_participation(std::uint32_t advertiser, RngStream& rng) {
  const double u = rng.uniform();
  return u < probability_.at(advertiser) ? 1.0 : 0.0;
}

void register_throttle(PacerRegistry& registry) {
  const ThrottleParams d;
  registry.add(
      {"throttle",
       "probabilistic throttling: full bids in a share of requests, adapted to even daily spend",
       {ParamSpec::real("min_probability", d.min_probability, 1e-4, 1,
                        "lowest participation probability"),
        ParamSpec::real("initial_probability", d.initial_probability, 1e-4, 1,
                        "participation probability at the start of each day"),
        ParamSpec::real("gain", d.gain, 0.01, 1,
                        "weight of the latest interval in the demand estimate"),
        ParamSpec::real("catch_up_hours", d.catch_up_hours, 0.1, 24,
                        "horizon over which a gap to the even spend curve is closed", "h")}},
      [](const ParamValues& p, std::size_t advertisers) {
        ThrottleParams params;
        params.min_probability = p.get_real("min_probability");
        params.initial_probability = p.get_real("initial_probability");
        params.gain = p.get_real("gain");
        params.catch_up_hours = p.get_real("catch_up_hours");
        if (params.initial_probability < params.min_probability)
          p.fail(p.first_set({"initial_probability", "min_probability"}),
                 "initial_probability (" + format_value(params.initial_probability) +
                     ") must be at least min_probability (" + format_value(params.min_probability) +
                     ")");
        return std::make_unique<ThrottlePacer>(params, advertisers);
      });
}

}  // namespace marketsim
