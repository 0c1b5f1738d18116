#include "sim/runner/world_tasks.h"

#include <algorithm>
#include <numeric>

namespace marketsim {
namespace {

double mean(const std::vector<double>& values) {
  if (values.empty()) return 1.0;
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

}  // namespace

std::vector<WorldTask> world_tasks(const std::vector<WorldSpec>& cells, std::size_t replications) {
  std::vector<WorldTask> tasks;
  for (std::size_t r = 0; r < replications; ++r)
    for (std::size_t c = 0; c < cells.size(); ++c) {
      tasks.push_back(WorldTask{c, r});
      const auto& experiments = cells[c].experiments;
      for (std::size_t e = 0; e < experiments.size(); ++e)
        if (experiments[e].truth)
          for (std::size_t a = 0; a < experiments[e].arms.size(); ++a)
            tasks.push_back(WorldTask{c, r, static_cast<int>(e), static_cast<int>(a)});
    }
  return tasks;
}

double expected_cost(const WorldSpec& spec) {
  const PartnerSpec& p = spec.partners;
  const double transactions = spec.run.duration_h * static_cast<double>(p.count) *
                              p.transactions_per_hour * mean(p.hourly_profile) *
                              mean(p.weekly_profile);
  const AdvertiserSpec& a = spec.advertisers;
  const double candidates = static_cast<double>(
      a.count * a.offers_per_advertiser * a.creatives_per_offer + p.first_party_offers);
  return transactions * candidates;
}

std::vector<std::size_t> dispatch_order(const std::vector<WorldTask>& tasks,
                                        const std::vector<WorldSpec>& cells) {
  std::vector<double> cell_cost;
  for (const WorldSpec& cell : cells) cell_cost.push_back(expected_cost(cell));
  std::vector<std::size_t> order(tasks.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return cell_cost[tasks[a].cell] > cell_cost[tasks[b].cell];
  });
  return order;
}

}  // namespace marketsim
