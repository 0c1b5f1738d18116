// EventQueue: a binary min-heap of timestamped payloads, FIFO among equal times.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/core/sim_time.h"

namespace marketsim {

// Pending events ordered by (time, insertion sequence): of two events at the same time the one
// pushed first pops first, so ties never depend on heap layout. Payloads are stored by value in a
// vector whose capacity is kept across pops, so steady-state push/pop performs no heap allocation.
// Not thread-safe; each replication owns its queue.
template <typename Payload>
class EventQueue {
 public:
  // One scheduled event.
  struct Entry {
    SimTime time;
    std::uint64_t sequence;
    Payload payload;
  };

  // Pre-sizes the heap so that up to `capacity` pending events need no reallocation.
  void reserve(std::size_t capacity) { heap_.reserve(capacity); }

  // Schedules `payload` at `time`.
  void push(SimTime time, const Payload& payload) {
    heap_.push_back(Entry{time, next_sequence_++, payload});
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }

  // Removes and returns the earliest event. Precondition: !empty().
  Entry pop() {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    Entry top = heap_.back();
    heap_.pop_back();
    return top;
  }

  // Time of the earliest event. Precondition: !empty().
  SimTime next_time() const { return heap_.front().time; }

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }

 private:
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.time != b.time ? a.time > b.time : a.sequence > b.sequence;
    }
  };

  std::vector<Entry> heap_;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace marketsim
