// TrafficSplit: salted-hash enrollment and arm assignment.
#include "policies/experiments/traffic_split.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "sim/core/hash.h"

namespace marketsim {
namespace {

constexpr std::uint64_t kArmStream = 0x6a09e667f3bcc909ull;  // separates the arm draw's hash

// The top 53 bits of a hash as a uniform number in [0, 1).
double unit_interval(std::uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

}  // namespace

TrafficSplit::TrafficSplit(std::uint64_t salt, std::vector<double> weights,
                           std::vector<SimTime> stage_start, std::vector<double> stage_share)
    : salt_(salt), stage_start_(std::move(stage_start)), stage_share_(std::move(stage_share)) {
  if (weights.size() < 2) throw std::invalid_argument("TrafficSplit: needs at least two arms");
  if (stage_start_.empty() || stage_start_.size() != stage_share_.size() || stage_start_[0] != 0)
    throw std::invalid_argument("TrafficSplit: one share per stage, the first stage at 0");
  for (std::size_t s = 0; s < stage_share_.size(); ++s) {
    if (!(stage_share_[s] >= 0 && stage_share_[s] <= 1))
      throw std::invalid_argument("TrafficSplit: shares must be in [0, 1]");
    if (s > 0 && (stage_start_[s] <= stage_start_[s - 1] || stage_share_[s] < stage_share_[s - 1]))
      throw std::invalid_argument(
          "TrafficSplit: stages must start in ascending order with non-decreasing shares");
  }
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  double cumulative = 0;
  for (double w : weights) {
    if (!(w > 0)) throw std::invalid_argument("TrafficSplit: weights must be positive");
    shares_.push_back(w / total);
    cumulative += w / total;
    cumulative_.push_back(cumulative);
  }
  cumulative_.back() = 1.0;
}

TrafficSplit::TrafficSplit(std::uint64_t salt, std::vector<SimTime> stage_start,
                           std::vector<std::vector<double>> arm_shares)
    : salt_(salt), stage_start_(std::move(stage_start)), arm_shares_(std::move(arm_shares)) {
  const std::size_t arms = arm_shares_.size();
  if (arms < 2) throw std::invalid_argument("TrafficSplit: needs at least two arms");
  if (stage_start_.empty() || stage_start_[0] != 0)
    throw std::invalid_argument("TrafficSplit: the first stage starts at 0");
  for (std::size_t s = 1; s < stage_start_.size(); ++s)
    if (stage_start_[s] <= stage_start_[s - 1])
      throw std::invalid_argument("TrafficSplit: stages must start in ascending order");
  for (const std::vector<double>& shares : arm_shares_) {
    if (shares.size() != stage_start_.size())
      throw std::invalid_argument("TrafficSplit: one share per stage for every arm");
    for (std::size_t s = 0; s < shares.size(); ++s) {
      if (!(shares[s] >= 0 && shares[s] <= 1.0 / static_cast<double>(arms) + 1e-12))
        throw std::invalid_argument("TrafficSplit: an arm's share must be in [0, 1 / arms]");
      if (s > 0 && shares[s] < shares[s - 1])
        throw std::invalid_argument("TrafficSplit: an arm's shares may not decrease");
    }
  }
}

std::size_t TrafficSplit::stage(SimTime now) const {
  const auto it = std::upper_bound(stage_start_.begin(), stage_start_.end(), now);
  return static_cast<std::size_t>(it - stage_start_.begin()) - 1;
}

double TrafficSplit::bucket(std::uint64_t unit) const {
  return unit_interval(splitmix64(splitmix64(salt_) ^ unit));
}

int TrafficSplit::arm_of(std::uint64_t unit) const {
  if (!arm_shares_.empty())
    return static_cast<int>(
        std::min(static_cast<std::size_t>(bucket(unit) * static_cast<double>(arm_shares_.size())),
                 arm_shares_.size() - 1));
  const double a = unit_interval(splitmix64(splitmix64(salt_ ^ kArmStream) ^ unit));
  const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), a);
  return static_cast<int>(std::min<std::ptrdiff_t>(
      it - cumulative_.begin(), static_cast<std::ptrdiff_t>(shares_.size()) - 1));
}

double TrafficSplit::enrolled_share(SimTime now) const {
  if (arm_shares_.empty()) return stage_share_[stage(now)];
  double total = 0;
  for (const std::vector<double>& shares : arm_shares_) total += shares[stage(now)];
  return total;
}

std::vector<double> TrafficSplit::arm_shares(SimTime now) const {
  std::vector<double> out;
  if (arm_shares_.empty()) {
    for (double w : shares_) out.push_back(w * stage_share_[stage(now)]);
  } else {
    for (const std::vector<double>& shares : arm_shares_) out.push_back(shares[stage(now)]);
  }
  return out;
}

int TrafficSplit::arm(std::uint64_t unit, SimTime now) const {
  const double b = bucket(unit);
  if (arm_shares_.empty()) return b < stage_share_[stage(now)] ? arm_of(unit) : -1;
  const double arms = static_cast<double>(arm_shares_.size());
  const auto a = std::min(static_cast<std::size_t>(b * arms), arm_shares_.size() - 1);
  return b - static_cast<double>(a) / arms < arm_shares_[a][stage(now)] ? static_cast<int>(a) : -1;
}

}  // namespace marketsim
