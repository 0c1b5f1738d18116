#include "analysis/output/record_frames.h"

#include <algorithm>
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

FrameChecksum::FrameChecksum(std::uint64_t size) : hash_(splitmix64(size)) {}

void FrameChecksum::add(std::string_view bytes) {
  if (bytes.empty()) return;  // its data() may be null, which memcpy must not get
  std::size_t at = 0;
  if (word_bytes_ > 0) {  // complete the word the last piece began
    const std::size_t take = std::min(bytes.size(), 8 - word_bytes_);
    std::memcpy(reinterpret_cast<char*>(&word_) + word_bytes_, bytes.data(), take);
    word_bytes_ += take;
    at = take;
    if (word_bytes_ < 8) return;
    hash_ = splitmix64(hash_ ^ word_);
    word_ = 0;
    word_bytes_ = 0;
  }
  for (; at + 8 <= bytes.size(); at += 8) hash_ = splitmix64(hash_ ^ read_u64(bytes.data() + at));
  word_bytes_ = bytes.size() - at;
  if (word_bytes_ > 0) std::memcpy(&word_, bytes.data() + at, word_bytes_);
}

std::uint64_t FrameChecksum::value() const { return splitmix64(hash_ ^ word_); }

std::uint64_t frame_checksum(std::string_view bytes) {
  FrameChecksum checksum(bytes.size());
  checksum.add(bytes);
  return checksum.value();
}

FrameHeader frame_header(std::uint64_t size, std::uint64_t checksum) {
  const std::uint64_t fields[2] = {size, checksum};
  static_assert(sizeof fields == sizeof(FrameHeader));
  FrameHeader header;
  std::memcpy(header.data(), fields, sizeof fields);
  return header;
}

FrameHeader frame_header(std::string_view payload) {
  return frame_header(payload.size(), frame_checksum(payload));
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
