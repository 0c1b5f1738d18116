// Keyed, counter-based random streams (Philox4x32-10 from Random123).
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cstdint>
#include <limits>
#include <string_view>

#include "sim/core/hash.h"

namespace marketsim {

// Stable 32-bit id of a component name (FNV-1a), used to key its streams. The same name gives the
// same id on every platform and in every build, so stream contents never depend on creation order.
constexpr std::uint32_t component_id(std::string_view name) {
  std::uint32_t hash = 2166136261u;
  for (char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return hash;
}

// Maps a 32-bit word to a double strictly inside (0, 1).
inline double to_unit_open(std::uint32_t word) {
  return (static_cast<double>(word) + 0.5) * (1.0 / 4294967296.0);
}

// The Philox key of one replication of one experiment: every stream of that replication shares it.
struct ReplicationKey {
  std::uint64_t seed = 0;
  std::uint64_t replication = 0;
};

// Random access into a family of streams: block(entity, index) returns four independent 32-bit
// words that depend only on (seed, replication, component, entity, index). Used where a draw is
// tied to an identity rather than to a position in a sequence, e.g. the outcome noise of
// (transaction, offer), so that two policies showing the same offer see the same noise.
class CounterRng {
 public:
  using Block = std::array<std::uint32_t, 4>;

  CounterRng(ReplicationKey key, std::string_view component);

  // The block at (entity, index). Pure function of the constructor arguments and the inputs.
  Block block(std::uint32_t entity, std::uint64_t index) const {
    r123::Philox4x32::ctr_type ctr = {{static_cast<std::uint32_t>(index),
                                       static_cast<std::uint32_t>(index >> 32), entity,
                                       component_}};
    const auto out = philox_(ctr, key_);
    return {out[0], out[1], out[2], out[3]};
  }

 private:
  r123::Philox4x32 philox_;
  r123::Philox4x32::key_type key_;
  std::uint32_t component_;
};

// One sequential random stream, named by (seed, replication, component, entity). Models the C++
// UniformRandomBitGenerator concept, so Boost.Random distributions draw from it. Copying a stream
// copies its position. Streams with different names never overlap (distinct Philox counters).
class RngStream {
 public:
  using result_type = std::uint32_t;

  // The stream starts at block `first_block`; streams of one (component, entity) that start far
  // enough apart (e.g. first_block = request index << 16) are disjoint sub-streams.
  RngStream(ReplicationKey key, std::string_view component, std::uint32_t entity,
            std::uint64_t first_block = 0);

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  result_type operator()() {
    if (next_ == 4) refill();
    return buffer_[next_++];
  }

  // A uniform draw strictly inside (0, 1) with 32 bits of resolution.
  double uniform() { return to_unit_open((*this)()); }

  // The stream of the same key and component at `entity`, from block `first_block`: the stream
  // the constructor names, without hashing the component's name again (for one per request).
  RngStream at(std::uint32_t entity, std::uint64_t first_block = 0) const {
    RngStream stream = *this;
    stream.entity_ = entity;
    stream.position_ = first_block;
    stream.next_ = 4;
    return stream;
  }

 private:
  void refill() {
    buffer_ = counter_.block(entity_, position_++);
    next_ = 0;
  }

  CounterRng counter_;
  std::uint32_t entity_;
  std::uint64_t position_ = 0;
  CounterRng::Block buffer_{};
  int next_ = 4;
};

// A light keyed stream for many short draws inside one call, e.g. one weight per feature bucket
// of a posterior sample: SplitMix64 (Steele, Lea & Flood 2014) from a state that mixes a 64-bit
// key and an entity. Starting one and drawing two words costs two 64-bit mixes, against a Philox
// block (ten rounds) for an RngStream, so it serves where the draws per call outnumber the
// call's other work. Take the key from an RngStream (two words), so the draws stay a function of
// the scenario's named streams. Models UniformRandomBitGenerator, like RngStream.
class MixStream {
 public:
  using result_type = std::uint32_t;

  MixStream(std::uint64_t key, std::uint32_t entity) : state_(key ^ splitmix64(entity)) {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  // The high then the low half of each SplitMix64 output.
  result_type operator()() {
    if (low_pending_) {
      low_pending_ = false;
      return static_cast<result_type>(word_);
    }
    word_ = splitmix64(state_);
    state_ += 0x9e3779b97f4a7c15ull;
    low_pending_ = true;
    return static_cast<result_type>(word_ >> 32);
  }

 private:
  std::uint64_t state_;
  std::uint64_t word_ = 0;
  bool low_pending_ = false;
};

}  // namespace marketsim
