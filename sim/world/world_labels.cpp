// World's label pipeline: the labels of shown impressions mature and reach the model stages.
#include <algorithm>

#include "sim/world/world.h"

namespace marketsim {

void World::log_labels(SimTime now, const Example& example, const Outcome& outcome,
                       std::uint32_t user, const std::array<float, kModelRoleCount>& raw) {
  const SimTime click_delay = hours_to_time(spec_.run.click_label_delay_h);
  PendingLabel click{example, user, 0, raw};
  click.example.set(Task::kClick, outcome.clicked);
  if (!outcome.clicked) {  // no click: no conversion and no retained click either, known now
    click.example.set(Task::kConversion, false);
    click.example.set(Task::kReturn, false);
  }
  deliver_at(now, now + click_delay, click);
  if (!outcome.clicked) return;
  if ((needed_tasks_ & task_bit(Task::kConversion)) != 0) {
    const SimTime window = hours_to_time(spec_.run.attribution_window_h);
    const bool converted = outcome.converted && outcome.conversion_delay <= window;
    PendingLabel conversion{example, user, 0, raw};
    conversion.example.set(Task::kConversion, converted);
    deliver_at(now, now + std::max(click_delay, converted ? outcome.conversion_delay : window),
               conversion);
  }
  if ((needed_tasks_ & task_bit(Task::kReturn)) != 0) {
    const SimTime horizon = hours_to_time(spec_.run.user_value_horizon_h);
    PendingLabel retained{example, user, users_.visits(user) + 1, raw};
    deliver_at(now, now + std::max(click_delay, horizon), retained);
  }
}

void World::deliver_at(SimTime now, SimTime when, const PendingLabel& label) {
  if (when <= now) {
    deliver(now, label);
  } else {
    labels_.push(when, label);
  }
}

void World::deliver(SimTime when, PendingLabel label) {
  if (label.visits > 0) label.example.set(Task::kReturn, users_.visits(label.user) > label.visits);
  const auto stages = active_stages();
  for (std::size_t r = 0; r < stages.size(); ++r) stages[r]->add(when, label.example, label.raw[r]);
}

void World::deliver_labels(SimTime now) {
  while (!labels_.empty() && labels_.next_time() <= now) {
    const auto entry = labels_.pop();
    deliver(entry.time, entry.payload);
  }
  for (ModelStage* stage : active_stages()) stage->advance(now);
}

}  // namespace marketsim
