// Metrics: the quantities every replication records, with their units and meaning.
#pragma once

#include <array>
#include <cstddef>

namespace marketsim {

// One recorded quantity. Totals go to /summary; those with in_series also go to /series per window.
enum class Metric : std::size_t {
  kTransactions,
  kReturnVisits,
  kImpressions,
  kClicks,
  kConversions,
  kSpend,
  kRevenue,
  kPartnerRevenue,
  kConversionValue,
  kFirstPartyImpressions,
  kFirstPartyConversions,
  kFirstPartyValue,
  kExpectedClicks,
  kPolicyValue,
  kOracleValue,
  kRegret,
  kUnconstrainedOracleValue,
  kUnconstrainedRegret,
  kOracleRequests,
  kCandidates,
  kRecallHits,
  kExplored,
  kAndroidTransactions,
  kReturningTransactions,
  kSatisfaction,
  kCartValue,
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
    {"return_visits", "", "transactions that were a user's return visit", true, true},
    {"impressions", "", "offers shown", true, true},
    {"clicks", "", "clicks on shown offers", true, true},
    {"conversions", "", "conversions of ads (after their delay)", true, true},
    {"spend", "USD", "advertiser spend", true, false},
    {"revenue", "USD", "platform revenue net of the partners' share", true, false},
    {"partner_revenue", "USD", "partners' share of advertiser spend", false, false},
    {"conversion_value", "USD", "value of ad conversions to their advertisers", false, false},
    {"first_party_impressions", "", "partners' own offers shown", false, true},
    {"first_party_conversions", "", "conversions of partners' own offers", false, true},
    {"first_party_value", "USD", "partners' margin from their own offers' conversions", false,
     false},
    {"expected_clicks", "", "sum of true click probabilities of shown offers", true, false},
    {"policy_value", "USD",
     "true expected value of the shown allocations (evaluation objective; comparable across cells)",
     true, false},
    {"oracle_value", "USD",
     "true expected value of the best allocations among offers with budget left in the cell, over "
     "the requests the oracle evaluated",
     false, false},
    {"regret", "USD",
     "oracle value - policy value, over the requests the oracle evaluated (against what the "
     "cell's own remaining budgets allowed)",
     true, false},
    {"oracle_value_unconstrained", "USD",
     "true expected value of the best allocations among all allowed offers, budgets ignored, over "
     "the requests the oracle evaluated",
     false, false},
    {"regret_unconstrained", "USD",
     "unconstrained oracle value - policy value, over the requests the oracle evaluated (one "
     "yardstick for every cell)",
     true, false},
    {"oracle_requests", "", "requests evaluated by the oracle (see run.oracle_every)", true, true},
    {"candidates", "", "candidates ranked, summed over requests", false, true},
    {"recall_hits", "", "requests whose candidates held the truly best eligible offer", true, true},
    {"explored", "", "transactions whose slate was explored", false, true},
    {"android_transactions", "", "transactions from android users", true, true},
    {"returning_transactions", "", "transactions from returning users", true, true},
    {"satisfaction", "", "sum over transactions of the user's satisfaction when served", true,
     false},
    {"cart_value", "USD", "value of the purchases (carts) of the transactions", false, false},
}};

inline constexpr const MetricInfo& info(Metric m) {
  return kMetricInfo[static_cast<std::size_t>(m)];
}

}  // namespace marketsim
