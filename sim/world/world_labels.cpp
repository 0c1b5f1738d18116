// World's label pipeline: the labels of shown impressions mature and reach the model stages.
#include <algorithm>

#include "sim/world/world.h"

namespace marketsim {

void World::log_labels(Recommender& rec, SimTime now, const Example& example,
                       const Outcome& outcome, std::uint32_t user,
                       const std::array<float, kModelRoleCount>& raw,
                       const std::array<float, kModelRoleCount>& served) {
  const SimTime click_delay = hours_to_time(spec_.run.click_label_delay_h);
  const SimTime window = hours_to_time(spec_.run.attribution_window_h);
  // The (zero) conversion label of an unclicked impression matures with the clicked ones' when
  // an entire-space model learns it, so that it sees both at the same lag (no drift toward 0
  // while traffic grows); otherwise it travels with the click label.
  const bool unclicked_conversion_apart =
      !outcome.clicked && rec.unclicked_conversions && spec_.run.conversion_labels_at_window_end;
  if (unclicked_conversion_apart) {
    PendingLabel conversion{rec.index, example, user, 0, raw, served};
    conversion.example.set(Task::kConversion, false);
    deliver_at(now, now + std::max(click_delay, window), conversion);
  }
  // The click label is built for nobody when no stage learns it and the monitor does not see it
  // (e.g. an oracle ranker with unevaluated models).
  if (rec.learns_click_labels || rec.monitored) {
    PendingLabel click{rec.index, example, user, 0, raw, served};
    click.example.set(Task::kClick, outcome.clicked);
    if (!outcome.clicked) {  // no click: no retained click either, known now
      click.example.set(Task::kReturn, false);
      if (!unclicked_conversion_apart) click.example.set(Task::kConversion, false);
    }
    deliver_at(now, now + click_delay, click);
  }
  if (!outcome.clicked) return;
  if ((rec.needed_tasks & task_bit(Task::kConversion)) != 0) {
    const bool converted = outcome.converted && outcome.conversion_delay <= window;
    PendingLabel conversion{rec.index, example, user, 0, raw, served};
    conversion.example.set(Task::kConversion, converted);
    const bool early = converted && !spec_.run.conversion_labels_at_window_end;
    deliver_at(now, now + std::max(click_delay, early ? outcome.conversion_delay : window),
               conversion);
  }
  if ((rec.needed_tasks & task_bit(Task::kReturn)) != 0) {
    const SimTime horizon = hours_to_time(spec_.run.user_value_horizon_h);
    PendingLabel retained{rec.index, example, user, users_.visits(user) + 1, raw, served};
    deliver_at(now, now + std::max(click_delay, horizon), retained);
  }
}

void World::deliver_at(SimTime now, SimTime when, const PendingLabel& label) {
  if (when <= now) {
    deliver(now, label);
  } else if (when < horizon_) {  // one maturing at or after the horizon would never be delivered
    labels_.push(when, label);
  }
}

void World::deliver(SimTime when, PendingLabel label) {
  const Recommender& rec = recipient(label.recipient);
  if (label.visits > 0) label.example.set(Task::kReturn, users_.visits(label.user) > label.visits);
  const auto stages = rec.active_stages();
  const Example& e = label.example;
  for (std::size_t r = 0; r < stages.size(); ++r) {
    const bool learned = stages[r]->add(when, e, label.raw[r]);
    if (r >= kEvaluatedModels || !rec.monitored) continue;  // user-value models are not monitored
    const auto model = static_cast<EvaluatedModel>(r);
    const Task task = stages[r]->task();
    if (!e.has(task) || (task != Task::kClick && !e.clicked)) continue;  // not of its population
    if (learned)
      model_monitor_.train(model, when, raw_features(e.request, e.offer, e.slot),
                           stages[r]->inclusion_weight(e));
    model_monitor_.mature(model, when, e.label(task), label.served[r]);
  }
}

RawFeatures World::raw_features(const RequestFeatures& features, std::uint32_t offer,
                                int slot) const {
  RawFeatures raw{};
  set_request_fields(features, raw);
  set_offer_fields(offer, offer_features_[offer], raw);
  raw[static_cast<std::size_t>(Field::kSlot)] = static_cast<std::uint32_t>(slot);
  return raw;
}

void World::deliver_labels(SimTime now) {
  while (!labels_.empty() && labels_.next_time() <= now) {
    const auto entry = labels_.pop();
    deliver(entry.time, entry.payload);
  }
  for (ModelStage* stage : distinct_stages_) stage->advance(now);
}

}  // namespace marketsim
