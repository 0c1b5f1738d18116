// EventQueue: timestamped payloads in (time, insertion) order: a small binary heap of the events
// due soon over unsorted buckets of later ones.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "sim/core/sim_time.h"

namespace marketsim {

// Pending events ordered by (time, insertion sequence): of two events at the same time the one
// pushed first pops first, so ties never depend on the layout. Payloads are stored by value in
// vectors whose capacity is kept across pops: a queue without buckets allocates nothing in steady
// state, one with buckets only as a bucket fills (a few times per bucket and run); its memory
// follows the pending events.
//
// A queue built with buckets keeps in its heap only the events before the end of the current
// bucket, a span of `bucket_width`; a later event is appended to the unsorted bucket of its span
// (one past the last for every time at or after `buckets` x `bucket_width`), and a bucket becomes
// the heap when the heap runs dry. Every event in the heap is earlier than every event in a
// bucket, so the pop order is exactly that of one heap of everything, while a pop sifts through
// the few events due soon instead of all pending ones (return visits scheduled hours ahead would
// otherwise make each pop walk a heap of megabytes). The default queue is one heap.
// Not thread-safe; each replication owns its queues.
template <typename Payload>
class EventQueue {
 public:
  // One scheduled event.
  struct Entry {
    SimTime time;
    std::uint64_t sequence;
    Payload payload;
  };

  // One heap of every pending event.
  EventQueue() = default;

  // Buckets of `bucket_width` (> 0) from time 0, `buckets` (> 0) of them before the last, which
  // holds every later time.
  EventQueue(SimTime bucket_width, std::size_t buckets)
      : bucket_width_(bucket_width), far_(buckets + 1) {
    if (bucket_width <= 0 || buckets == 0)
      throw std::invalid_argument("EventQueue: bucket width and count must be positive");
  }

  // Schedules `payload` at `time`.
  void push(SimTime time, const Payload& payload) {
    const Entry entry{time, next_sequence_++, payload};
    if (near_.empty()) start_bucket(bucket_of(time));  // then no bucket holds an event either
    if (time < near_end_ || near_end_ == kNever) {     // the last bucket's heap takes every time
      near_.push_back(entry);
      std::push_heap(near_.begin(), near_.end(), Later{});
    } else {
      far_[bucket_of(time)].push_back(entry);
      ++far_size_;
    }
  }

  // Removes and returns the earliest event. Precondition: !empty().
  Entry pop() {
    std::pop_heap(near_.begin(), near_.end(), Later{});
    Entry top = near_.back();
    near_.pop_back();
    if (near_.empty() && far_size_ > 0) refill();
    return top;
  }

  // Time of the earliest event. Precondition: !empty().
  SimTime next_time() const { return near_.front().time; }

  bool empty() const { return near_.empty(); }
  std::size_t size() const { return near_.size() + far_size_; }

 private:
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.time != b.time ? a.time > b.time : a.sequence > b.sequence;
    }
  };

  static constexpr SimTime kNever = std::numeric_limits<SimTime>::max();

  // The bucket of `time`: the last one for times past the others (and for every time without
  // buckets), the first for times before 0.
  std::size_t bucket_of(SimTime time) const {
    if (far_.empty()) return 0;
    const std::size_t last = far_.size() - 1;
    if (time <= 0) return 0;
    const SimTime index = time / bucket_width_;
    return index >= static_cast<SimTime>(last) ? last : static_cast<std::size_t>(index);
  }

  // Makes `bucket` the current one: the heap takes the events before its end.
  void start_bucket(std::size_t bucket) {
    current_ = bucket;
    near_end_ = far_.empty() || bucket + 1 == far_.size()
                    ? kNever
                    : static_cast<SimTime>(bucket + 1) * bucket_width_;
  }

  // Moves the next non-empty bucket into the (empty) heap.
  void refill() {
    std::size_t next = current_ + 1;
    while (far_[next].empty()) ++next;
    start_bucket(next);
    near_.swap(far_[next]);
    // Frees the drained heap's storage: kept by a bucket behind the clock it would never be
    // used again, and the queue would come to hold every event ever pushed.
    std::vector<Entry>().swap(far_[next]);
    far_size_ -= near_.size();
    std::make_heap(near_.begin(), near_.end(), Later{});
  }

  SimTime bucket_width_ = 0;
  std::vector<std::vector<Entry>> far_;  // empty without buckets
  std::vector<Entry> near_;              // a heap: every pending event before near_end_
  SimTime near_end_ = kNever;
  std::size_t current_ = 0;   // the bucket whose span the heap covers
  std::size_t far_size_ = 0;  // events in the buckets
  std::uint64_t next_sequence_ = 0;
};

}  // namespace marketsim
