// Field-by-field encoding of FinishedReplication: trivially copyable values as their bytes,
// strings and vectors as a 64-bit count then their elements. One visit() per record type lists
// its fields for both directions, so encoder and decoder cannot disagree on the order.
#include "sim/runner/replication_codec.h"

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "sim/core/error.h"
#include "sim/core/huge_page_allocator.h"

namespace marketsim {
namespace {

constexpr std::uint32_t kCodecVersion = 1;

// Counts the bytes of what it visits, so that the Encoder allocates its record once.
class Sizer {
 public:
  static constexpr bool kReading = false;
  void bytes(const void*, std::size_t size) { size_ += size; }
  std::size_t remaining() const { return 0; }
  std::size_t size() const { return size_; }

 private:
  std::size_t size_ = 0;
};

// Appends the bytes of what it visits.
class Encoder {
 public:
  static constexpr bool kReading = false;
  explicit Encoder(std::size_t capacity) {
    out_.reserve(capacity);
    advise_huge_pages(out_.data(), capacity);  // a record with logs can take hundreds of MB
  }
  void bytes(const void* data, std::size_t size) {
    out_.append(static_cast<const char*>(data), size);
  }
  std::size_t remaining() const { return 0; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Hands the bytes of what it visits to a sink through a buffer of kBlockBytes; an array at least
// that large goes to the sink as it lies.
class StreamEncoder {
 public:
  static constexpr bool kReading = false;
  static constexpr std::size_t kBlockBytes = std::size_t{1} << 20;
  explicit StreamEncoder(const std::function<void(std::string_view)>& sink) : sink_(sink) {
    buffer_.reserve(kBlockBytes);
  }
  void bytes(const void* data, std::size_t size) {
    if (buffer_.size() + size > kBlockBytes) {
      flush();
      if (size >= kBlockBytes) {
        sink_(std::string_view(static_cast<const char*>(data), size));
        return;
      }
    }
    buffer_.append(static_cast<const char*>(data), size);
  }
  std::size_t remaining() const { return 0; }
  void flush() {
    if (!buffer_.empty()) sink_(buffer_);
    buffer_.clear();
  }

 private:
  const std::function<void(std::string_view)>& sink_;
  std::string buffer_;
};

// Fills what it visits from a byte string, refusing to read past its end.
class Decoder {
 public:
  static constexpr bool kReading = true;
  Decoder(std::string_view in, const std::string& source) : in_(in), source_(source) {}
  void bytes(void* data, std::size_t size) {
    if (size > in_.size()) fail("truncated");
    if (size == 0) return;  // an empty vector's data() may be null, which memcpy must not get
    std::memcpy(data, in_.data(), size);
    in_.remove_prefix(size);
  }
  std::size_t remaining() const { return in_.size(); }
  [[noreturn]] void fail(const std::string& what) const {
    throw RunError(source_ + ": not a replication record of this version (" + what + ")");
  }

 private:
  std::string_view in_;
  const std::string& source_;
};

template <typename Io, typename T>
requires std::is_trivially_copyable_v<T>
void visit(Io& io, T& value) { io.bytes(&value, sizeof value); }

// The element count of a string or vector; a decoded count is bounded by the bytes left, since
// every element takes at least one byte.
template <typename Io>
std::size_t visit_count(Io& io, std::size_t size) {
  std::uint64_t count = size;
  visit(io, count);
  if constexpr (Io::kReading) {
    if (count > io.remaining()) io.fail("a count exceeds the record");
  }
  return static_cast<std::size_t>(count);
}

template <typename Io>
void visit(Io& io, std::string& value) {
  const std::size_t count = visit_count(io, value.size());
  if constexpr (Io::kReading) value.resize(count);
  io.bytes(value.data(), count);
}

template <typename Io, typename T, typename Allocator>
void visit(Io& io, std::vector<T, Allocator>& values);
template <typename Io>
void visit(Io& io, SlotValues& values);

// The field lists below must name every field: these sizes change when a field is added.
static_assert(sizeof(CandidateRecord) == 232 && sizeof(TargetRecord) == 64);
static_assert(sizeof(MonitorCapture) == 168 && sizeof(ModelCapture) == 168);
static_assert(sizeof(ColumnImportance) == 56 && sizeof(ExperimentCapture) == 96);
static_assert(sizeof(FinishedReplication) == 2344);

template <typename Io>
void visit(Io& io, CandidateRecord& r) {
  visit(io, r.transaction);
  visit(io, r.offer);
  visit(io, r.score);
  visit(io, r.pctr);
  visit(io, r.pcvr);
  visit(io, r.value_per_click);
  visit(io, r.value_per_conversion);
  visit(io, r.true_conversion_probability);
  visit(io, r.slot_probability);
  visit(io, r.predicted_click);
  visit(io, r.true_click);
}

template <typename Io>
void visit(Io& io, TargetRecord& r) {
  visit(io, r.transaction);
  visit(io, r.shown_probability);
  visit(io, r.dm_clicks);
  visit(io, r.dm_value);
  visit(io, r.true_clicks);
  visit(io, r.true_value);
}

template <typename Io>
void visit(Io& io, MonitorCapture& m) {
  visit(io, m.psi);
  visit(io, m.ks);
  visit(io, m.prediction_psi);
  visit(io, m.prediction_ks);
  visit(io, m.matured_calibration_ratio);
  visit(io, m.alerts);
  visit(io, m.alert_log);
}

template <typename Io>
void visit(Io& io, ColumnImportance& c) {
  visit(io, c.kind);
  visit(io, c.values);
}

template <typename Io>
void visit(Io& io, ModelCapture& m) {
  visit(io, m.windows);
  visit(io, m.bins);
  visit(io, m.totals);
  visit(io, m.counts);
  visit(io, m.monitors);
  visit(io, m.columns);
  visit(io, m.importance);
}

template <typename Io>
void visit(Io& io, ExperimentCapture& e) {
  visit(io, e.snapshots);
  visit(io, e.enrolled_shares);
  visit(io, e.arm_shares);
  visit(io, e.first_seen);
}

template <typename Io>
void visit(Io& io, FinishedReplication& r) {
  static_assert(sizeof(std::size_t) == sizeof(std::uint64_t));
  visit(io, r.cell);
  visit(io, r.replication);
  visit(io, r.truth_experiment);
  visit(io, r.truth_arm);
  visit(io, r.completed);
  visit(io, r.events);
  visit(io, r.wall_s);
  visit(io, r.totals);
  visit(io, r.series);
  visit(io, r.advertisers);
  visit(io, r.budget);
  visit(io, r.latency);
  visit(io, r.impressions);
  visit(io, r.candidates);
  visit(io, r.targets);
  visit(io, r.models);
  visit(io, r.experiments);
}

// A vector's (or SlotValues') element count, then its elements.
template <typename Io, typename Values>
void visit_sequence(Io& io, Values& values) {
  using T = typename Values::value_type;
  const std::size_t count = visit_count(io, values.size());
  if constexpr (Io::kReading) values.resize(count);
  if constexpr (std::is_trivially_copyable_v<T>) {
    if constexpr (Io::kReading) {
      if (values.size() > io.remaining() / sizeof(T)) io.fail("a vector exceeds the record");
    }
    io.bytes(values.data(), values.size() * sizeof(T));
  } else {
    for (T& value : values) visit(io, value);
  }
}

template <typename Io, typename T, typename Allocator>
void visit(Io& io, std::vector<T, Allocator>& values) {
  visit_sequence(io, values);
}

template <typename Io>
void visit(Io& io, SlotValues& values) {
  visit_sequence(io, values);
}

// Booleans copied as bytes must hold 0 or 1 before they are read as bool.
bool valid_bools(const FinishedReplication& r) {
  const auto is_bool = [](const bool& b) {
    unsigned char byte;
    std::memcpy(&byte, &b, 1);
    return byte <= 1;
  };
  if (!is_bool(r.completed)) return false;
  for (const ImpressionRecord& i : r.impressions)
    if (!is_bool(i.propensity_estimated) || !is_bool(i.explored) || !is_bool(i.clicked) ||
        !is_bool(i.context.returning))
      return false;
  return true;
}

// Visits the version and then every field of `replication` with `io`, which only reads them.
template <typename Io>
void visit_record(Io& io, const FinishedReplication& replication) {
  std::uint32_t version = kCodecVersion;
  visit(io, version);
  visit(io, const_cast<FinishedReplication&>(replication));
}

}  // namespace

std::size_t encoded_size(const FinishedReplication& replication) {
  Sizer sizer;
  visit_record(sizer, replication);
  return sizer.size();
}

std::string encode_replication(const FinishedReplication& replication) {
  Encoder encoder(encoded_size(replication));
  visit_record(encoder, replication);
  return encoder.take();
}

void encode_replication(const FinishedReplication& replication,
                        const std::function<void(std::string_view)>& sink) {
  StreamEncoder encoder(sink);
  visit_record(encoder, replication);
  encoder.flush();
}

FinishedReplication decode_replication(std::string_view bytes, const std::string& source) {
  Decoder decoder(bytes, source);
  std::uint32_t version = 0;
  visit(decoder, version);
  if (version != kCodecVersion) decoder.fail("format version " + std::to_string(version));
  FinishedReplication replication;
  visit(decoder, replication);
  if (decoder.remaining() != 0) decoder.fail("trailing bytes");
  if (!valid_bools(replication)) decoder.fail("a flag is neither 0 nor 1");
  return replication;
}

}  // namespace marketsim
