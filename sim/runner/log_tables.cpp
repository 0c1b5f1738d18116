// The off-policy logs of every replication: /impressions and /candidates, and the /ope groups.
#include <array>
#include <limits>

#include "sim/runner/ope_arrays.h"
#include "sim/runner/result_tables.h"
#include "sim/runner/table_columns.h"

namespace marketsim {

Table ResultCollector::impression_table() const {
  Column cell = int_column("cell", "", "cell (experimental condition)");
  cell.flag_meanings = cell_names_;
  Column replication = int_column("replication", "", "replication index");
  Column transaction = int_column("transaction", "", "transaction id (the same in every cell)");
  Column time = real_column("time", "h", "simulated time of the request");
  Column partner = int_column("partner", "", "partner id");
  Column user = int_column("user", "", "user id");
  Column device = int_column("device", "", "user's device");
  device.flag_meanings = {"android", "ios", "desktop"};
  Column region = int_column("region", "", "user's region");
  Column age_band = int_column("age_band", "", "user's age band");
  Column returning = int_column("returning", "", "1 for a returning user");
  Column vertical = int_column("vertical", "", "partner's vertical");
  vertical.flag_meanings.assign(kVerticalNames.begin(), kVerticalNames.end());
  Column cart = int_column("cart_category", "", "category of the purchase");
  Column slot = int_column("slot", "", "slot, 0 = top");
  Column offer = int_column("offer", "", "offer (catalog entry) id");
  Column advertiser = int_column("advertiser", "", "advertiser id, -1 for a partner's own offer");
  Column bid_type = int_column("bid_type", "", "how the offer pays");
  bid_type.flag_meanings = {"cpc", "cpa", "cpm", "first_party"};
  Column score = real_column("score", "USD", "ranking objective value of the impression");
  Column pctr = real_column("pctr", "", "predicted click probability (reference slot)");
  Column price = real_column("price_per_click", "USD", "auction price per click equivalent");
  Column runner_up = int_column("runner_up", "", "offer id of the runner-up, -1 when none");
  Column propensity = real_column("propensity", "", "probability of the shown slate");
  Column estimated = int_column("propensity_estimated", "", "1 when the propensity is estimated");
  Column explored = int_column("explored", "", "1 when the slate departs from the greedy one");
  Column slot_propensity =
      real_column("slot_propensity", "", "logging policy's P(this offer in this slot)");
  Column predicted_click =
      real_column("predicted_click", "", "the click model's prediction at this slot");
  Column predicted_value =
      real_column("predicted_value", "USD", "predicted_click x pCVR x value per conversion");
  Column truth = real_column("true_click_probability", "",
                             "hidden truth: P(click) in that slot (for evaluation only)");
  Column true_value =
      real_column("true_value", "USD",
                  "hidden truth: P(click) x P(conversion in window) x value per conversion");
  Column clicked = int_column("clicked", "", "1 when clicked");
  Column conversion_value = real_column(
      "conversion_value", "USD", "value of a conversion within the attribution window, else 0");
  const std::array<Column*, 30> columns{&cell,
                                        &replication,
                                        &transaction,
                                        &time,
                                        &partner,
                                        &user,
                                        &device,
                                        &region,
                                        &age_band,
                                        &returning,
                                        &vertical,
                                        &cart,
                                        &slot,
                                        &offer,
                                        &advertiser,
                                        &bid_type,
                                        &score,
                                        &pctr,
                                        &price,
                                        &runner_up,
                                        &propensity,
                                        &estimated,
                                        &explored,
                                        &slot_propensity,
                                        &predicted_click,
                                        &predicted_value,
                                        &truth,
                                        &true_value,
                                        &clicked,
                                        &conversion_value};
  std::size_t rows = 0;
  for (const FinishedReplication& r : results_) rows += r.impressions.size();
  for (Column* column : columns) reserve(*column, rows);
  for (const FinishedReplication* r : ordered()) {
    for (const ImpressionRecord& i : r->impressions) {
      push(cell, static_cast<std::int64_t>(r->cell));
      push(replication, static_cast<std::int64_t>(r->replication));
      push(transaction, static_cast<std::int64_t>(i.transaction));
      push(time, time_to_hours(i.time));
      push(partner, std::int64_t{i.partner});
      push(user, std::int64_t{i.user});
      push(device, std::int64_t{i.context.device});
      push(region, std::int64_t{i.context.region});
      push(age_band, std::int64_t{i.context.age_band});
      push(returning, std::int64_t{i.context.returning});
      push(vertical, std::int64_t{i.context.vertical});
      push(cart, std::int64_t{i.context.cart_category});
      push(slot, std::int64_t{i.slot});
      push(offer, std::int64_t{i.offer});
      push(advertiser, i.advertiser);
      push(bid_type, std::int64_t{i.bid_type});
      push(score, i.score);
      push(pctr, i.pctr);
      push(price, i.price_per_click);
      push(runner_up, i.runner_up);
      push(propensity, i.propensity);
      push(estimated, std::int64_t{i.propensity_estimated});
      push(explored, std::int64_t{i.explored});
      push(slot_propensity, i.slot_propensity);
      push(predicted_click, i.predicted_click);
      push(predicted_value, i.predicted_value);
      push(truth, i.true_click_probability);
      push(true_value, i.true_value);
      push(clicked, std::int64_t{i.clicked});
      push(conversion_value, i.conversion_value);
    }
  }
  Table table;
  for (Column* c : columns) table.columns.push_back(std::move(*c));
  return table;
}

Table ResultCollector::candidate_table(std::size_t slots) const {
  Column cell = int_column("cell", "", "cell (experimental condition)");
  cell.flag_meanings = cell_names_;
  Column replication = int_column("replication", "", "replication index");
  Column transaction = int_column("transaction", "", "transaction id of the logged request");
  Column offer = int_column("offer", "", "offer (catalog entry) id");
  Column score = real_column("score", "USD", "logging policy's ranking score (value x pCTR)");
  Column pctr = real_column("pctr", "", "predicted click probability (reference slot)");
  Column pcvr = real_column("pcvr", "", "predicted conversion probability given a click");
  Column vpc = real_column("value_per_click", "USD", "logging objective's value of a click");
  Column vpv = real_column("value_per_conversion", "USD",
                           "value of a conversion to whoever it converts for");
  Column conversion =
      real_column("true_conversion_probability", "",
                  "hidden truth: P(conversion within the attribution window | click)");
  std::vector<Column> per_slot;
  for (std::size_t s = 0; s < slots; ++s) {
    const std::string in = " in slot " + std::to_string(s);
    per_slot.push_back(real_column("slot_probability_" + std::to_string(s), "",
                                   "logging policy's P(candidate shown" + in + ")"));
    per_slot.push_back(real_column("predicted_click_" + std::to_string(s), "",
                                   "logging click model's P(click" + in + ")"));
    per_slot.push_back(
        real_column("true_click_" + std::to_string(s), "", "hidden truth: P(click" + in + ")"));
  }
  std::size_t rows = 0;
  for (const FinishedReplication& r : results_) rows += r.candidates.size();
  reserve(
      {&cell, &replication, &transaction, &offer, &score, &pctr, &pcvr, &vpc, &vpv, &conversion},
      rows);
  for (Column& c : per_slot) reserve(c, rows);
  constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
  for (const FinishedReplication* r : ordered()) {
    for (const CandidateRecord& c : r->candidates) {
      push(cell, static_cast<std::int64_t>(r->cell));
      push(replication, static_cast<std::int64_t>(r->replication));
      push(transaction, static_cast<std::int64_t>(c.transaction));
      push(offer, std::int64_t{c.offer});
      push(score, c.score);
      push(pctr, c.pctr);
      push(pcvr, c.pcvr);
      push(vpc, c.value_per_click);
      push(vpv, c.value_per_conversion);
      push(conversion, c.true_conversion_probability);
      for (std::size_t s = 0; s < slots; ++s) {
        const bool shown = s < c.slot_probability.size();
        push(per_slot[3 * s], shown ? c.slot_probability[s] : kMissing);
        push(per_slot[3 * s + 1], shown ? c.predicted_click[s] : kMissing);
        push(per_slot[3 * s + 2], shown ? c.true_click[s] : kMissing);
      }
    }
  }
  Table table;
  for (Column* c :
       {&cell, &replication, &transaction, &offer, &score, &pctr, &pcvr, &vpc, &vpv, &conversion})
    table.columns.push_back(std::move(*c));
  for (Column& c : per_slot) table.columns.push_back(std::move(c));
  return table;
}

ArrayGroup ResultCollector::ope_arrays(std::size_t target, std::size_t replications) const {
  std::vector<std::vector<std::optional<OpeFigures>>> figures(
      cell_names_.size(), std::vector<std::optional<OpeFigures>>(replications));
  for (const FinishedReplication& r : results_)
    figures[r.cell][r.replication] =
        evaluate_target(r.impressions, r.candidates, r.targets[target]);
  return marketsim::ope_arrays(cell_names_, figures);
}

}  // namespace marketsim
