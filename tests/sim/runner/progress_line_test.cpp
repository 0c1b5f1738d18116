// Tests of the progress display's arithmetic and text.
#include <catch2/catch.hpp>

#include "sim/runner/progress_line.h"

using namespace marketsim;

TEST_CASE("the fraction done counts the running worlds' simulated time") {
  RunProgress p;
  p.total = 8;
  p.done = 3;
  CHECK(fraction_done(p) == Approx(3.0 / 8));
  p.running = 1.5;  // e.g. two running worlds at 75% of their horizon
  CHECK(fraction_done(p) == Approx(4.5 / 8));
  p.running = 10;  // a world just finished but not yet delivered never shows past 100%
  CHECK(fraction_done(p) == 1.0);
  CHECK(fraction_done(RunProgress{}) == 1.0);
}

TEST_CASE("the progress line shows the rate and the ETA at that rate") {
  RunProgress p;
  p.total = 8;
  p.done = 3;
  p.elapsed_s = 30;
  CHECK(progress_line(p) == "37.5% (3/8 replications)  1.25%/s  elapsed 30.0s  ETA 50s");
  p.done = 0;
  p.running = 0.4;  // within the first replication
  CHECK(progress_line(p) == "5.0% (0/8 replications)  0.167%/s  elapsed 30.0s  ETA 570s");
  p.running = 0;
  p.elapsed_s = 0;
  CHECK(progress_line(p) == "0.0% (0/8 replications)  0%/s  elapsed 0.0s  ETA ?");
}
