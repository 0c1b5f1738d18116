#include "analysis/output/record_frames.h"

#include <cstring>

#include "sim/core/hash.h"

namespace marketsim {
namespace {

constexpr std::size_t kHeaderBytes = sizeof(FrameHeader);

std::uint64_t read_u64(const char* at) {
  std::uint64_t value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

}  // namespace

std::uint64_t frame_checksum(std::string_view bytes) {
  std::uint64_t hash = splitmix64(bytes.size());
  std::size_t at = 0;
  for (; at + 8 <= bytes.size(); at += 8) hash = splitmix64(hash ^ read_u64(bytes.data() + at));
  std::uint64_t tail = 0;
  std::memcpy(&tail, bytes.data() + at, bytes.size() - at);
  return splitmix64(hash ^ tail);
}

FrameHeader frame_header(std::string_view payload) {
  const std::uint64_t fields[2] = {payload.size(), frame_checksum(payload)};
  static_assert(sizeof fields == sizeof(FrameHeader));
  FrameHeader header;
  std::memcpy(header.data(), fields, sizeof fields);
  return header;
}

void append_frame(std::string& out, std::string_view payload) {
  const FrameHeader header = frame_header(payload);
  out.append(header.data(), header.size());
  out.append(payload);
}

FrameScan scan_frames(std::string_view bytes) {
  FrameScan scan;
  std::size_t at = 0;
  while (bytes.size() - at >= kHeaderBytes) {
    const std::uint64_t size = read_u64(bytes.data() + at);
    const std::uint64_t checksum = read_u64(bytes.data() + at + 8);
    if (size > bytes.size() - at - kHeaderBytes) break;
    const std::string_view payload = bytes.substr(at + kHeaderBytes, size);
    if (frame_checksum(payload) != checksum) break;
    scan.payloads.push_back(payload);
    at += kHeaderBytes + size;
  }
  scan.valid_bytes = at;
  return scan;
}

}  // namespace marketsim
