// OpeAccumulator on a hand-computed three-request log: every estimate, standard error and
// diagnostic, plus its input checks and conventions.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "analysis/statistics/ope_estimators.h"

using namespace marketsim;

namespace {

// Request 1: dm 0.5; slot 0 (w 2, clicked, q 0.4), slot 1 (w 0.5, no click, q 0.2).
// Request 2: dm 0.3; slot 0 (w 1, no click, q 0.3); slot 1 not shown.
// Request 3: dm 0.4; slot 0 (w 0.5, clicked, q 0.5), slot 1 (w 1.5, clicked, q 0.1).
OpeAccumulator hand_log() {
  OpeAccumulator ope;
  ope.begin_request(0.5);
  ope.add_slot(0, 2.0, 1.0, 0.4);
  ope.add_slot(1, 0.5, 0.0, 0.2);
  ope.begin_request(0.3);
  ope.add_slot(0, 1.0, 0.0, 0.3);
  ope.begin_request(0.4);
  ope.add_slot(1, 1.5, 1.0, 0.1);  // slots in any order
  ope.add_slot(0, 0.5, 1.0, 0.5);
  return ope;
}

}  // namespace

TEST_CASE("OPE estimators on a hand-computed log", "[experiment_stats]") {
  const OpeResult r = hand_log().result();
  CHECK(r.requests == 3.0);
  REQUIRE(r.estimates.size() == 4);
  CHECK(r.estimates[0].name == "dm");
  CHECK(r.estimates[1].name == "ips");
  CHECK(r.estimates[2].name == "snips");
  CHECK(r.estimates[3].name == "dr");
  // dm_i = 0.5, 0.3, 0.4: mean 0.4, sample variance (0.01 + 0.01 + 0) / 2 = 0.01, se sqrt(0.01/3).
  CHECK(r.estimate("dm").value == Approx(0.4).epsilon(1e-14));
  CHECK(r.estimate("dm").se == Approx(std::sqrt(0.01 / 3)).epsilon(1e-12));
  // ips_i = 2 * 1 + 0.5 * 0 = 2, 0, 0.5 + 1.5 = 2: mean 4/3, variance (4/9 + 16/9 + 4/9) / 2 = 4/3,
  // se = sqrt(4/9) = 2/3.
  CHECK(r.estimate("ips").value == Approx(4.0 / 3.0).epsilon(1e-14));
  CHECK(r.estimate("ips").se == Approx(2.0 / 3.0).epsilon(1e-14));
  // dr_i = 0.5 + 2 (1 - 0.4) + 0.5 (0 - 0.2) = 1.6; 0.3 + 1 (0 - 0.3) = 0; 0.4 + 0.5 (0.5) +
  // 1.5 (0.9) = 2.0: mean 1.2, variance (0.16 + 1.44 + 0.64) / 2 = 1.12, se sqrt(1.12 / 3).
  CHECK(r.estimate("dr").value == Approx(1.2).epsilon(1e-14));
  CHECK(r.estimate("dr").se == Approx(std::sqrt(1.12 / 3)).epsilon(1e-13));
  // snips: slot 0 shown 3 times, sum w r = 2.5, sum w = 3.5, R_0 = 5/7; slot 1 shown twice,
  // sum w r = 1.5, sum w = 2, R_1 = 3/4. V = (3/3) 5/7 + (2/3) 3/4 = 5/7 + 1/2 = 17/14.
  CHECK(r.estimate("snips").value == Approx(17.0 / 14.0).epsilon(1e-14));
  // Influence function IF_i = sum_s [(N_s / sum w_s) (w r - R_s w) + R_s (h_is - N_s / N)]:
  //   slot 0 (always shown, N/sum w = 6/7): residuals 2 - 10/7 = 4/7, -5/7, 1/2 - 5/14 = 1/7,
  //     times 6/7: 24/49, -30/49, 6/49;
  //   slot 1 (N_1/sum w = 1): residuals 0 - 3/8, 0 (not shown), 3/2 - 9/8 = 3/8; showing term
  //     3/4 (h - 2/3) = 1/4, -1/2, 1/4.
  // IF = 24/49 - 1/8, -30/49 - 1/2, 6/49 + 5/8 (they sum to 0); se^2 = sum IF^2 / (N - 1) / N.
  const double if1 = 24.0 / 49 - 0.125, if2 = -30.0 / 49 - 0.5, if3 = 6.0 / 49 + 0.625;
  CHECK(if1 + if2 + if3 == Approx(0.0).margin(1e-15));
  const double snips_se = std::sqrt((if1 * if1 + if2 * if2 + if3 * if3) / 2 / 3);
  CHECK(snips_se == Approx(0.5669869).epsilon(1e-6));
  CHECK(r.estimate("snips").se == Approx(snips_se).epsilon(1e-12));
  // Diagnostics: slot 0 weights 2, 1, 0.5; slot 1 weights 0.5, 1.5.
  REQUIRE(r.slots.size() == 2);
  CHECK(r.slots[0].slot == 0);
  CHECK(r.slots[0].requests == 3.0);
  CHECK(r.slots[0].mean_weight == Approx(3.5 / 3).epsilon(1e-14));
  CHECK(r.slots[0].max_weight == 2.0);
  CHECK(r.slots[0].effective_sample_size == Approx(3.5 * 3.5 / 5.25).epsilon(1e-14));
  CHECK(r.slots[1].slot == 1);
  CHECK(r.slots[1].requests == 2.0);
  CHECK(r.slots[1].mean_weight == 1.0);
  CHECK(r.slots[1].max_weight == 1.5);
  CHECK(r.slots[1].effective_sample_size == Approx(4.0 / 2.5).epsilon(1e-14));
  CHECK(r.max_weight == 2.0);
  CHECK(r.effective_sample_size == Approx(5.5 * 5.5 / 7.75).epsilon(1e-14));
}

TEST_CASE("OPE result includes the open request and leaves it open", "[experiment_stats]") {
  OpeAccumulator ope = hand_log();
  CHECK(ope.requests() == 3.0);
  CHECK(ope.result().estimate("ips").value == Approx(4.0 / 3.0).epsilon(1e-14));
  ope.add_slot(2, 4.0, 1.0, 0.0);  // still request 3: its ips becomes 6
  const OpeResult r = ope.result();
  CHECK(r.requests == 3.0);
  CHECK(r.estimate("ips").value == Approx(8.0 / 3.0).epsilon(1e-14));
  CHECK(r.slots.size() == 3);
  CHECK(r.max_weight == 4.0);
}

TEST_CASE("OPE conventions with few requests and bad input", "[experiment_stats]") {
  OpeAccumulator empty;
  const OpeResult none = empty.result();
  CHECK(none.requests == 0.0);
  for (const OpeEstimate& e : none.estimates) {
    CHECK(std::isnan(e.value));
    CHECK(std::isnan(e.se));
  }
  CHECK(none.slots.empty());
  CHECK(none.max_weight == 0.0);
  CHECK(none.effective_sample_size == 0.0);

  OpeAccumulator one;
  one.begin_request(0.2);
  one.add_slot(0, 2.0, 1.0, 0.5);
  const OpeResult single = one.result();
  CHECK(single.estimate("ips").value == 2.0);
  CHECK(single.estimate("snips").value == 1.0);
  CHECK(single.estimate("dr").value == Approx(1.2).epsilon(1e-15));
  for (const OpeEstimate& e : single.estimates) CHECK(std::isnan(e.se));

  OpeAccumulator zero_weights;  // the target never shows what was logged in slot 0
  zero_weights.begin_request(0.1);
  zero_weights.add_slot(0, 0.0, 1.0, 0.5);
  zero_weights.begin_request(0.1);
  zero_weights.add_slot(0, 0.0, 0.0, 0.5);
  CHECK(std::isnan(zero_weights.result().estimate("snips").value));
  CHECK(zero_weights.result().estimate("ips").value == 0.0);
  CHECK(zero_weights.result().slots[0].effective_sample_size == 0.0);

  OpeAccumulator bad;
  CHECK_THROWS_AS(bad.add_slot(0, 1.0, 1.0, 0.5), std::logic_error);
  CHECK_THROWS_AS(bad.begin_request(std::nan("")), std::invalid_argument);
  bad.begin_request(0.1);
  bad.add_slot(0, 1.0, 1.0, 0.5);
  CHECK_THROWS_AS(bad.add_slot(0, 1.0, 1.0, 0.5), std::invalid_argument);  // slot twice
  CHECK_THROWS_AS(bad.add_slot(1, -1.0, 1.0, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(bad.add_slot(-1, 1.0, 1.0, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(bad.add_slot(OpeAccumulator::kMaxSlots, 1.0, 1.0, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(bad.add_slot(1, 1.0, std::nan(""), 0.5), std::invalid_argument);
  CHECK_THROWS_AS(bad.result().estimate("wis"), std::out_of_range);
}
