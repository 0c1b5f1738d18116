// Framing of encoded replication records in a byte stream (the run journal, a shard's /records):
// each record is [64-bit size][64-bit checksum][size bytes], little-endian as the machine writes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace marketsim {

// The checksum of a frame's bytes (SplitMix64 chained over 8-byte words).
std::uint64_t frame_checksum(std::string_view bytes);

// frame_checksum of a payload that arrives in pieces, for a writer that never holds it whole.
class FrameChecksum {
 public:
  // `size`: the whole payload's size in bytes.
  explicit FrameChecksum(std::uint64_t size);
  // The payload's next bytes.
  void add(std::string_view bytes);
  // frame_checksum of what was added (which must be `size` bytes).
  std::uint64_t value() const;

 private:
  std::uint64_t hash_;
  std::uint64_t word_ = 0;      // the bytes of an unfinished 8-byte word
  std::size_t word_bytes_ = 0;  // how many
};

// The bytes that precede `payload` in its frame: its size and checksum.
using FrameHeader = std::array<char, 2 * sizeof(std::uint64_t)>;
FrameHeader frame_header(std::string_view payload);
// The same, for a payload of `size` bytes whose frame_checksum is `checksum`.
FrameHeader frame_header(std::uint64_t size, std::uint64_t checksum);

// Appends `payload` as one frame to `out`.
void append_frame(std::string& out, std::string_view payload);

// The frames at the start of a byte stream: their payloads (views into the stream) and how many
// bytes they take. Reading stops at the first frame that is cut short or fails its checksum
// (what a write interrupted by a crash leaves), so `valid_bytes` < the stream's size tells a
// torn or damaged tail.
struct FrameScan {
  std::vector<std::string_view> payloads;
  std::size_t valid_bytes = 0;
};
FrameScan scan_frames(std::string_view bytes);

}  // namespace marketsim
