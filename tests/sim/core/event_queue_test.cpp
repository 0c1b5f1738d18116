// EventQueue: ordering by time, FIFO among equal times, the same order with buckets as without.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

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

TEST_CASE("a bucketed queue pops exactly as one heap does", "[core][event_queue]") {
  // Interleaved pushes and pops of a simulation's kind (each push at or after the time last
  // popped, some at that very time, some past the last bucket) and of no kind (pushes before
  // the current bucket while it is not empty): the bucketed queue and the plain heap must pop
  // the same (time, sequence, payload) every time.
  for (const auto& [width, buckets] :
       {std::pair<marketsim::SimTime, std::size_t>{7, 16}, {1, 3}, {1000, 1}}) {
    EventQueue<int> plain;
    EventQueue<int> bucketed(width, buckets);
    std::uint64_t x = 987654321;
    const auto next = [&x] {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      return x >> 33;
    };
    marketsim::SimTime now = 0;
    int pushed = 0;
    for (int step = 0; step < 20000; ++step) {
      const std::uint64_t r = next();
      if (r % 5 < 3 || plain.empty()) {
        const std::uint64_t kind = next() % 10;
        marketsim::SimTime time = now;
        if (kind < 6) time += static_cast<marketsim::SimTime>(next() % 200);
        if (kind == 6) time += static_cast<marketsim::SimTime>(next() % 5000);  // past the end
        if (kind == 7) time = static_cast<marketsim::SimTime>(next() % 100);    // maybe earlier
        plain.push(time, pushed);
        bucketed.push(time, pushed);
        ++pushed;
      } else {
        const auto a = plain.pop();
        const auto b = bucketed.pop();
        REQUIRE(a.time == b.time);
        REQUIRE(a.sequence == b.sequence);
        REQUIRE(a.payload == b.payload);
        now = std::max(now, a.time);
      }
      REQUIRE(plain.size() == bucketed.size());
      REQUIRE(plain.empty() == bucketed.empty());
      if (!plain.empty()) REQUIRE(plain.next_time() == bucketed.next_time());
    }
    while (!plain.empty()) {
      const auto a = plain.pop();
      const auto b = bucketed.pop();
      REQUIRE(a.sequence == b.sequence);
    }
    CHECK(bucketed.empty());
  }
}

TEST_CASE("an event at the largest time queues with and without buckets", "[core][event_queue]") {
  constexpr marketsim::SimTime kLast = std::numeric_limits<marketsim::SimTime>::max();
  EventQueue<int> plain;
  EventQueue<int> bucketed(10, 4);
  for (EventQueue<int>* q : {&plain, &bucketed}) {
    q->push(kLast, 1);
    q->push(5, 2);
    q->push(kLast, 3);
    CHECK(q->pop().payload == 2);
    CHECK(q->pop().payload == 1);
    CHECK(q->pop().time == kLast);
    CHECK(q->empty());
  }
}

TEST_CASE("a bucketed queue rejects a bucket width or count of zero", "[core][event_queue]") {
  CHECK_THROWS_AS(EventQueue<int>(0, 4), std::invalid_argument);
  CHECK_THROWS_AS(EventQueue<int>(4, 0), std::invalid_argument);
}
