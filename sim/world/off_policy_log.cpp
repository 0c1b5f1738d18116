// Off-policy log records: a target policy's expected rewards over a logged request's candidates.
#include "sim/world/off_policy_log.h"

namespace marketsim {

TargetRecord make_target_record(std::uint64_t transaction,
                                std::span<const CandidateRecord> candidates,
                                std::span<const int> shown, std::span<const double> target) {
  const std::size_t k = shown.size();
  TargetRecord record{transaction, std::vector<double>(k), 0, 0, 0, 0};
  for (std::size_t s = 0; s < k; ++s)
    record.shown_probability[s] = target[static_cast<std::size_t>(shown[s]) * k + s];
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const CandidateRecord& c = candidates[i];
    for (std::size_t s = 0; s < k; ++s) {
      const double p = target[i * k + s];
      record.dm_clicks += p * c.predicted_click[s];
      record.dm_value += p * c.predicted_click[s] * c.pcvr * c.value_per_conversion;
      record.true_clicks += p * c.true_click[s];
      record.true_value +=
          p * c.true_click[s] * c.true_conversion_probability * c.value_per_conversion;
    }
  }
  return record;
}

}  // namespace marketsim
