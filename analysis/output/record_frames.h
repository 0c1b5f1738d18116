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

// The bytes that precede `payload` in its frame: its size and checksum.
using FrameHeader = std::array<char, 2 * sizeof(std::uint64_t)>;
FrameHeader frame_header(std::string_view payload);

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
