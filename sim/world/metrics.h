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
};

inline constexpr std::array<MetricInfo, kMetricCount> kMetricInfo{{
    {"transactions", "1", "transactions (confirmation pages served)", true},
    {"impressions", "1", "offers shown", true},
    {"clicks", "1", "clicks on shown offers", true},
    {"conversions", "1", "conversions attributed to clicks", true},
    {"spend", "USD", "advertiser spend (cost of clicks)", true},
    {"revenue", "USD", "platform revenue net of the partners' share", true},
    {"partner_revenue", "USD", "partners' share of advertiser spend", false},
    {"conversion_value", "USD", "value of conversions to their advertisers", false},
    {"expected_clicks", "1", "sum of true click probabilities of shown offers", true},
    {"explored", "1", "transactions whose slate was explored", false},
}};

inline constexpr const MetricInfo& info(Metric m) {
  return kMetricInfo[static_cast<std::size_t>(m)];
}

}  // namespace marketsim
