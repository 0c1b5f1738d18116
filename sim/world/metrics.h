// Metrics: the quantities every replication records, with their units and meaning.
#pragma once

#include <array>
#include <cstddef>

namespace marketsim {

// One recorded quantity. Totals go to /summary; those with in_series also go to /series per window.
enum class Metric : std::size_t {
  kTransactions,
  kImpressions,
  kClicks,
  kConversions,
  kSpend,
  kRevenue,
  kPartnerRevenue,
  kConversionValue,
  kExpectedClicks,
  kExplored,
  kCount
};

inline constexpr std::size_t kMetricCount = static_cast<std::size_t>(Metric::kCount);

// Name, units and description of a metric, as written to the output.
struct MetricInfo {
  const char* name;
  const char* units;
  const char* long_name;
  bool in_series;
  bool is_count;  // an integer count (stored as int64 in /summary)
};

inline constexpr std::array<MetricInfo, kMetricCount> kMetricInfo{{
    {"transactions", "", "transactions (confirmation pages served)", true, true},
    {"impressions", "", "offers shown", true, true},
    {"clicks", "", "clicks on shown offers", true, true},
    {"conversions", "", "conversions attributed to clicks", true, true},
    {"spend", "USD", "advertiser spend (cost of clicks)", true, false},
    {"revenue", "USD", "platform revenue net of the partners' share", true, false},
    {"partner_revenue", "USD", "partners' share of advertiser spend", false, false},
    {"conversion_value", "USD", "value of conversions to their advertisers", false, false},
    {"expected_clicks", "", "sum of true click probabilities of shown offers", true, false},
    {"explored", "", "transactions whose slate was explored", false, true},
}};

inline constexpr const MetricInfo& info(Metric m) {
  return kMetricInfo[static_cast<std::size_t>(m)];
}

}  // namespace marketsim
