// EventQueue: ordering by time, FIFO among equal times, no reallocation in steady state.
#include <catch2/catch.hpp>

#include "sim/core/event_queue.h"

using marketsim::EventQueue;

TEST_CASE("events pop in time order, FIFO among equal times", "[core][event_queue]") {
  EventQueue<int> q;
  q.push(30, 1);
  q.push(10, 2);
  q.push(20, 3);
  q.push(10, 4);
  q.push(20, 5);
  q.push(10, 6);
  std::vector<int> order;
  std::vector<marketsim::SimTime> times;
  while (!q.empty()) {
    const auto e = q.pop();
    order.push_back(e.payload);
    times.push_back(e.time);
  }
  CHECK(order == std::vector<int>{2, 4, 6, 3, 5, 1});
  CHECK(times == std::vector<marketsim::SimTime>{10, 10, 10, 20, 20, 30});
}

TEST_CASE("an event pushed at the current time runs after those already due",
          "[core][event_queue]") {
  EventQueue<int> q;
  q.push(5, 1);
  q.push(5, 2);
  const auto first = q.pop();
  q.push(first.time, 3);  // scheduled while handling event 1
  CHECK(q.pop().payload == 2);
  CHECK(q.pop().payload == 3);
}

TEST_CASE("ordering holds under interleaved pushes and pops", "[core][event_queue]") {
  EventQueue<int> q;
  q.reserve(64);
  for (int i = 0; i < 64; ++i) q.push(i % 7, i);
  q.pop();
  for (int round = 0; round < 1000; ++round) {
    const auto e = q.pop();
    q.push(e.time + 3, e.payload);
    REQUIRE(q.size() == 63);
  }
  // Large random workload stays ordered.
  EventQueue<int> big;
  std::uint64_t x = 12345;
  for (int i = 0; i < 20000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    big.push(static_cast<marketsim::SimTime>(x >> 54), i);
  }
  marketsim::SimTime last = -1;
  std::uint64_t last_seq = 0;
  while (!big.empty()) {
    const auto e = big.pop();
    REQUIRE(e.time >= last);
    if (e.time == last) REQUIRE(e.sequence > last_seq);
    last = e.time;
    last_seq = e.sequence;
  }
}
