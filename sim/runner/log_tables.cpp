// The off-policy logs of every replication: /impressions and /candidates, and the /ope groups.
#include <limits>
#include <memory>

#include "sim/runner/ope_arrays.h"
#include "sim/runner/result_tables.h"
#include "sim/runner/table_columns.h"

namespace marketsim {

SlicedTable ResultCollector::impression_table() const {
  // The columns, kept with the filler that sets them a slice of rows at a time.
  struct Columns {
    Column cell = int_column("cell", "", "cell (experimental condition)");
    Column replication = int_column("replication", "", "replication index");
    Column transaction = int_column("transaction", "", "transaction id (the same in every cell)");
    Column time = real_column("time", "h", "simulated time of the request");
    Column partner = int_column("partner", "", "partner id");
    Column user = int_column("user", "", "user id");
    Column device = int_column("device", "", "user's device");
    Column region = int_column("region", "", "user's region");
    Column age_band = int_column("age_band", "", "user's age band");
    Column returning = int_column("returning", "", "1 for a returning user");
    Column vertical = int_column("vertical", "", "partner's vertical");
    Column cart = int_column("cart_category", "", "category of the purchase");
    Column slot = int_column("slot", "", "slot, 0 = top");
    Column offer = int_column("offer", "", "offer (catalog entry) id");
    Column advertiser = int_column("advertiser", "", "advertiser id, -1 for a partner's own offer");
    Column bid_type = int_column("bid_type", "", "how the offer pays");
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
  };
  const auto t = std::make_shared<Columns>();
  t->cell.flag_meanings = cell_names_;
  t->device.flag_meanings = {"android", "ios", "desktop"};
  t->vertical.flag_meanings.assign(kVerticalNames.begin(), kVerticalNames.end());
  t->bid_type.flag_meanings = {"cpc", "cpa", "cpm", "first_party"};
  std::vector<Column*> columns{&t->cell,
                               &t->replication,
                               &t->transaction,
                               &t->time,
                               &t->partner,
                               &t->user,
                               &t->device,
                               &t->region,
                               &t->age_band,
                               &t->returning,
                               &t->vertical,
                               &t->cart,
                               &t->slot,
                               &t->offer,
                               &t->advertiser,
                               &t->bid_type,
                               &t->score,
                               &t->pctr,
                               &t->price,
                               &t->runner_up,
                               &t->propensity,
                               &t->estimated,
                               &t->explored,
                               &t->slot_propensity,
                               &t->predicted_click,
                               &t->predicted_value,
                               &t->truth,
                               &t->true_value,
                               &t->clicked,
                               &t->conversion_value};
  return sliced_rows(std::move(columns), ordered(), &FinishedReplication::impressions,
                     [t](const FinishedReplication& r, const ImpressionRecord& i, std::size_t row) {
                       set(t->cell, row, static_cast<std::int64_t>(r.cell));
                       set(t->replication, row, static_cast<std::int64_t>(r.replication));
                       set(t->transaction, row, static_cast<std::int64_t>(i.transaction));
                       set(t->time, row, time_to_hours(i.time));
                       set(t->partner, row, std::int64_t{i.partner});
                       set(t->user, row, std::int64_t{i.user});
                       set(t->device, row, std::int64_t{i.context.device});
                       set(t->region, row, std::int64_t{i.context.region});
                       set(t->age_band, row, std::int64_t{i.context.age_band});
                       set(t->returning, row, std::int64_t{i.context.returning});
                       set(t->vertical, row, std::int64_t{i.context.vertical});
                       set(t->cart, row, std::int64_t{i.context.cart_category});
                       set(t->slot, row, std::int64_t{i.slot});
                       set(t->offer, row, std::int64_t{i.offer});
                       set(t->advertiser, row, i.advertiser);
                       set(t->bid_type, row, std::int64_t{i.bid_type});
                       set(t->score, row, i.score);
                       set(t->pctr, row, i.pctr);
                       set(t->price, row, i.price_per_click);
                       set(t->runner_up, row, i.runner_up);
                       set(t->propensity, row, i.propensity);
                       set(t->estimated, row, std::int64_t{i.propensity_estimated});
                       set(t->explored, row, std::int64_t{i.explored});
                       set(t->slot_propensity, row, i.slot_propensity);
                       set(t->predicted_click, row, i.predicted_click);
                       set(t->predicted_value, row, i.predicted_value);
                       set(t->truth, row, i.true_click_probability);
                       set(t->true_value, row, i.true_value);
                       set(t->clicked, row, std::int64_t{i.clicked});
                       set(t->conversion_value, row, i.conversion_value);
                     });
}

SlicedTable ResultCollector::candidate_table(std::size_t slots) const {
  // The columns, kept with the filler that sets them a slice of rows at a time.
  struct Columns {
    Column cell = int_column("cell", "", "cell (experimental condition)");
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
  };
  const auto t = std::make_shared<Columns>();
  t->cell.flag_meanings = cell_names_;
  for (std::size_t s = 0; s < slots; ++s) {
    const std::string in = " in slot " + std::to_string(s);
    t->per_slot.push_back(real_column("slot_probability_" + std::to_string(s), "",
                                      "logging policy's P(candidate shown" + in + ")"));
    t->per_slot.push_back(real_column("predicted_click_" + std::to_string(s), "",
                                      "logging click model's P(click" + in + ")"));
    t->per_slot.push_back(
        real_column("true_click_" + std::to_string(s), "", "hidden truth: P(click" + in + ")"));
  }
  std::vector<Column*> columns{&t->cell,  &t->replication, &t->transaction, &t->offer,
                               &t->score, &t->pctr,        &t->pcvr,        &t->vpc,
                               &t->vpv,   &t->conversion};
  for (Column& c : t->per_slot) columns.push_back(&c);
  constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
  return sliced_rows(
      std::move(columns), ordered(), &FinishedReplication::candidates,
      [t, slots](const FinishedReplication& r, const CandidateRecord& c, std::size_t row) {
        set(t->cell, row, static_cast<std::int64_t>(r.cell));
        set(t->replication, row, static_cast<std::int64_t>(r.replication));
        set(t->transaction, row, static_cast<std::int64_t>(c.transaction));
        set(t->offer, row, std::int64_t{c.offer});
        set(t->score, row, c.score);
        set(t->pctr, row, c.pctr);
        set(t->pcvr, row, c.pcvr);
        set(t->vpc, row, c.value_per_click);
        set(t->vpv, row, c.value_per_conversion);
        set(t->conversion, row, c.true_conversion_probability);
        for (std::size_t s = 0; s < slots; ++s) {
          const bool shown = s < c.slot_probability.size();
          set(t->per_slot[3 * s], row, shown ? c.slot_probability[s] : kMissing);
          set(t->per_slot[3 * s + 1], row, shown ? c.predicted_click[s] : kMissing);
          set(t->per_slot[3 * s + 2], row, shown ? c.true_click[s] : kMissing);
        }
      });
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
