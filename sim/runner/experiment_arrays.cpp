// The /experiments/<name> group: per-arm sums turned into means, tests and true effects.
#include "sim/runner/experiment_arrays.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include "analysis/statistics/ab_tests.h"
#include "analysis/statistics/beat_probability.h"
#include "analysis/statistics/msprt.h"
#include "analysis/statistics/sample_ratio_test.h"

namespace marketsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
enum Dim : std::size_t { kCell, kReplication, kTime, kArm, kSegment };

// Sizes of the group's dimensions and the row-major offset of one element.
struct Shape {
  std::size_t cells, replications, times, arms, segments;

  std::size_t at(std::size_t c, std::size_t r, std::size_t t, std::size_t a, std::size_t s) const {
    return (((c * replications + r) * times + t) * arms + a) * segments + s;
  }
  std::size_t full() const { return cells * replications * times * arms * segments; }
};

// The group's variables by role, filled as the captures are read.
class Variables {
 public:
  explicit Variables(ArrayGroup& group) : group_(group) {}

  // Adds a NaN-filled variable over `dims` of `size` elements; returns its index.
  std::size_t add(std::string name, std::string units, std::string long_name,
                  std::vector<std::size_t> dims, std::size_t size) {
    group_.variables.push_back(ArrayVariable{std::move(name), std::move(units),
                                             std::move(long_name), std::move(dims),
                                             std::vector<double>(size, kNaN)});
    return group_.variables.size() - 1;
  }
  double& operator()(std::size_t variable, std::size_t offset) {
    return group_.variables[variable].data[offset];
  }

 private:
  ArrayGroup& group_;
};

MomentSums moments(const ArmSegmentSums& s, std::size_t m) {
  return MomentSums{s.units, s.sum[m], s.sum_sq[m]};
}

RatioSums ratio_sums(const ArmSegmentSums& s, std::size_t r) {
  const auto y = static_cast<std::size_t>(kUnitRatioInfo[r].numerator);
  const auto x = static_cast<std::size_t>(kUnitRatioInfo[r].denominator);
  return RatioSums{s.units, s.sum[y], s.sum_sq[y], s.sum[x], s.sum_sq[x], s.sum_cross[r]};
}

double ratio_of(const ArmSegmentSums& s, std::size_t r) {
  const double den = s.sum[static_cast<std::size_t>(kUnitRatioInfo[r].denominator)];
  return den > 0 ? s.sum[static_cast<std::size_t>(kUnitRatioInfo[r].numerator)] / den : kNaN;
}

// The figures every compared quantity (a mean or a ratio) gets, as variable indices.
struct ComparedVariables {
  std::size_t value, effect, se, p_value, ci_low, ci_high, beat, msprt, first, msprt_first,
      true_value, true_effect;
};

ComparedVariables add_compared(Variables& v, const std::string& name, const std::string& units,
                               const std::string& what, const Shape& shape) {
  const std::vector<std::size_t> full = {kCell, kReplication, kTime, kArm, kSegment};
  const std::vector<std::size_t> per_arm = {kCell, kReplication, kArm, kSegment};
  const std::size_t n = shape.full(), m = n / shape.times;
  const std::string vs = " (arm - control, cumulative at the look)";
  return ComparedVariables{
      v.add(name, units, what + ", cumulative at the look", full, n),
      v.add(name + "_effect", units, what + ": difference" + vs, full, n),
      v.add(name + "_se", units, what + ": standard error of the difference", full, n),
      v.add(name + "_p_value", "", what + ": two-sided fixed-horizon p-value of the difference",
            full, n),
      v.add(name + "_ci_low", units, what + ": lower end of the difference's 95% interval", full,
            n),
      v.add(name + "_ci_high", units, what + ": upper end of the difference's 95% interval", full,
            n),
      v.add(name + "_prob_beat_control", "",
            what + ": posterior probability the arm is above "
                   "the control",
            full, n),
      v.add(name + "_msprt_p_value", "",
            what + ": always-valid mSPRT p-value (normal mixture), running minimum over looks",
            full, n),
      v.add(name + "_first_significant_h", "h",
            what + ": first look with p_value below alpha (NaN: none)", per_arm, m),
      v.add(name + "_msprt_first_significant_h", "h",
            what + ": first look with msprt_p_value below alpha (NaN: none)", per_arm, m),
      v.add("true_" + name, units, what + " in the counterfactual world with every unit in the arm",
            full, n),
      v.add("true_" + name + "_effect", units,
            what + ": true difference (counterfactual arm world - counterfactual control world)",
            full, n),
  };
}

// Writes one look's test of arm against control, and the running mSPRT and first looks.
void write_test(Variables& v, const ComparedVariables& cv, std::size_t at, std::size_t at_arm,
                const TestResult& test, double beat, double tau, double look_h, double alpha,
                double& msprt) {
  if (!test.valid) return;
  v(cv.effect, at) = test.estimate;
  v(cv.se, at) = test.se;
  v(cv.p_value, at) = test.p_value;
  v(cv.ci_low, at) = test.ci_low;
  v(cv.ci_high, at) = test.ci_high;
  v(cv.beat, at) = beat;
  if (tau > 0) msprt = std::min(msprt, msprt_p_value(test.estimate, test.se * test.se, tau));
  v(cv.msprt, at) = msprt;
  if (test.p_value < alpha && std::isnan(v(cv.first, at_arm))) v(cv.first, at_arm) = look_h;
  if (msprt < alpha && std::isnan(v(cv.msprt_first, at_arm))) v(cv.msprt_first, at_arm) = look_h;
}

}  // namespace

ArrayGroup experiment_arrays(const std::vector<const ExperimentSpec*>& specs,
                             const std::vector<std::string>& cell_names,
                             const std::vector<double>& window_end,
                             const ExperimentCaptures& captures) {
  const ExperimentSpec& first = *specs.front();
  std::vector<std::string> arm_names;
  for (const ExperimentArm& arm : first.arms) arm_names.push_back(arm.name);
  const std::vector<std::string> segments = segment_names(first.segment, window_end.back());
  const Shape shape{cell_names.size(), captures.observed.front().size(), window_end.size(),
                    arm_names.size(), segments.size()};
  ArrayGroup g;
  std::vector<std::int64_t> replication_index;
  for (std::size_t r = 0; r < shape.replications; ++r)
    replication_index.push_back(static_cast<std::int64_t>(r));
  g.dimensions = {
      Dimension{"cell", "", "cell (experimental condition)", cell_names},
      Dimension{"replication", "", "replication index", replication_index},
      Dimension{"time", "h", "end of window: the look", window_end},
      Dimension{"arm", "", "arm of the experiment (the first is the control)", arm_names},
      Dimension{"segment", "", "segment of units (all: every unit)", segments}};
  Variables v(g);
  const std::size_t share =
      v.add("arm_share", "", "arm's share of all units in the rollout stage in force at the look",
            {kCell, kReplication, kTime, kArm},
            shape.cells * shape.replications * shape.times * shape.arms);
  const std::size_t enrolled =
      v.add("enrolled_share", "", "share of units enrolled at the look (rollout stage)",
            {kCell, kReplication, kTime}, shape.cells * shape.replications * shape.times);
  const std::size_t srm_chi2 =
      v.add("srm_chi2", "",
            "sample-ratio-mismatch chi-square of the units enrolled at their first transaction "
            "during the window, per arm",
            {kCell, kReplication, kTime}, shape.cells * shape.replications * shape.times);
  const std::size_t srm_p =
      v.add("srm_p_value", "", "sample-ratio-mismatch p-value (chi-square, arms - 1 df)",
            {kCell, kReplication, kTime}, shape.cells * shape.replications * shape.times);
  const std::size_t alpha =
      v.add("alpha", "", "significance level of the first-significant looks", {kCell}, shape.cells);
  const std::size_t units = v.add("units", "", "enrolled units with a transaction in the segment",
                                  {kCell, kReplication, kTime, kArm, kSegment}, shape.full());
  std::vector<std::size_t> totals;
  std::vector<ComparedVariables> means, ratios;
  for (const UnitMetricInfo& m : kUnitMetricInfo) {
    totals.push_back(v.add(m.name, m.units, std::string(m.long_name) + ", arm total",
                           {kCell, kReplication, kTime, kArm, kSegment}, shape.full()));
    means.push_back(add_compared(v, std::string(m.name) + "_per_unit", m.units,
                                 std::string(m.long_name) + " per unit", shape));
  }
  for (const UnitRatioInfo& r : kUnitRatioInfo)
    ratios.push_back(add_compared(v, r.name, r.units, r.long_name, shape));

  for (std::size_t c = 0; c < shape.cells; ++c) {
    const ExperimentSpec& spec = *specs[c];
    v(alpha, c) = spec.alpha;
    for (std::size_t r = 0; r < shape.replications; ++r) {
      const ExperimentCapture* observed = captures.observed[c][r];
      const auto& counterfactual = captures.counterfactual[c][r];
      for (std::size_t a = 0; a < shape.arms; ++a)
        for (std::size_t s = 0; s < shape.segments; ++s) {
          std::vector<double> msprt_means(kUnitMetricCount, 1.0),
              msprt_ratios(kUnitRatioCount, 1.0);
          const std::size_t at_arm =
              ((c * shape.replications + r) * shape.arms + a) * shape.segments + s;
          for (std::size_t t = 0; t < shape.times; ++t) {
            const std::size_t at = shape.at(c, r, t, a, s);
            const ArmSegmentSums* truth =
                counterfactual[a] ? &counterfactual[a]->snapshots[t][a * shape.segments + s]
                                  : nullptr;
            const ArmSegmentSums* truth_control =
                counterfactual[0] ? &counterfactual[0]->snapshots[t][s] : nullptr;
            for (std::size_t m = 0; m < kUnitMetricCount; ++m) {
              if (truth && truth->units > 0)
                v(means[m].true_value, at) = truth->sum[m] / truth->units;
              if (truth && truth_control && a > 0 && truth->units > 0 && truth_control->units > 0)
                v(means[m].true_effect, at) =
                    truth->sum[m] / truth->units - truth_control->sum[m] / truth_control->units;
            }
            for (std::size_t q = 0; q < kUnitRatioCount; ++q) {
              if (truth) v(ratios[q].true_value, at) = ratio_of(*truth, q);
              if (truth && truth_control && a > 0)
                v(ratios[q].true_effect, at) = ratio_of(*truth, q) - ratio_of(*truth_control, q);
            }
            if (!observed) continue;
            const ArmSegmentSums& arm = observed->snapshots[t][a * shape.segments + s];
            const ArmSegmentSums& control = observed->snapshots[t][s];
            v(units, at) = arm.units;
            const double look_h = window_end[t];
            for (std::size_t m = 0; m < kUnitMetricCount; ++m) {
              v(totals[m], at) = arm.sum[m];
              if (arm.units > 0) v(means[m].value, at) = arm.sum[m] / arm.units;
              if (a == 0) continue;
              const MomentSums treated = moments(arm, m), base = moments(control, m);
              const TestResult test = welch_test(treated, base);
              const double tau = spec.mixture_sd * std::sqrt(base.variance());
              write_test(v, means[m], at, at_arm, test, normal_beat_probability(test), tau, look_h,
                         spec.alpha, msprt_means[m]);
            }
            for (std::size_t q = 0; q < kUnitRatioCount; ++q) {
              v(ratios[q].value, at) = ratio_of(arm, q);
              if (a == 0) continue;
              const TestResult test = ratio_delta_test(ratio_sums(arm, q), ratio_sums(control, q));
              const UnitRatioInfo& info = kUnitRatioInfo[q];
              const auto y = static_cast<std::size_t>(info.numerator);
              const auto x = static_cast<std::size_t>(info.denominator);
              const double beat = info.is_rate
                                      ? beta_binomial_beat_probability(
                                            arm.sum[y], arm.sum[x], control.sum[y], control.sum[x])
                                      : normal_beat_probability(test);
              const double tau = spec.mixture_sd *
                                 std::sqrt(ratio_sums(control, q).ratio_variance() * control.units);
              write_test(v, ratios[q], at, at_arm, test, beat, tau, look_h, spec.alpha,
                         msprt_ratios[q]);
            }
          }
        }
      if (!observed) continue;
      for (std::size_t t = 0; t < shape.times; ++t) {
        const std::size_t at = (c * shape.replications + r) * shape.times + t;
        v(enrolled, at) = observed->enrolled_shares[t];
        const std::vector<double>& expected = observed->arm_shares[t];
        std::vector<double> fresh;  // units enrolled at their first transaction, in the window
        for (std::size_t a = 0; a < shape.arms; ++a) {
          v(share, at * shape.arms + a) = expected[a];
          const double before = t > 0 ? observed->first_seen[t - 1][a] : 0;
          fresh.push_back(observed->first_seen[t][a] - before);
        }
        // Pearson's chi-square needs every expected count to be at least 5.
        double total = 0, share_total = 0;
        for (std::size_t a = 0; a < shape.arms; ++a) total += fresh[a], share_total += expected[a];
        bool testable = share_total > 0;
        for (double e : expected) testable = testable && total * e / share_total >= 5;
        if (!testable) continue;
        const SrmResult srm = sample_ratio_test(fresh, expected);
        v(srm_chi2, at) = srm.statistic;
        v(srm_p, at) = srm.p_value;
      }
    }
  }
  return g;
}

}  // namespace marketsim
