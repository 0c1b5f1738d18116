// The replication records of the journal and shard files: every field survives encoding bit for
// bit, and damaged bytes are refused without crashing or allocating without bound.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>

#include "analysis/output/record_frames.h"
#include "sim/core/error.h"
#include "sim/runner/replication_codec.h"

namespace marketsim {
namespace {

// A replication with every field set to something other than its default.
FinishedReplication filled_replication() {
  FinishedReplication r;
  r.cell = 3;
  r.replication = 17;
  r.truth_experiment = 1;
  r.truth_arm = 2;
  r.completed = true;
  r.events = 123456789;
  r.wall_s = 1.25;
  r.totals = {1.0, -0.0, std::numeric_limits<double>::quiet_NaN(), 1e300};
  r.series = {{1, 2, 3}, {}, {4.5}};
  r.advertisers = {AdvertiserRow{1, 100.0, 4.0, 10, 2, 1, 3.5, 7.25}};
  r.budget = 2500;
  r.latency.add(Stage::kScoring, std::chrono::microseconds(42));
  ImpressionRecord impression{};
  impression.transaction = 99;
  impression.context.device = 2;
  impression.context.returning = true;
  impression.clicked = true;
  impression.conversion_value = 12.5;
  r.impressions = {impression, impression};
  CandidateRecord wide{99, 8, 0.4, 0.1, 0.2, 1.5, 30, 0.05, {}, {}, {}};
  wide.slot_probability = {0.5, 0.2, 0.1, 0.1, 0.05, 0.05};  // more than SlotValues holds inline
  wide.predicted_click.assign(6, 0.1);
  wide.true_click.assign(6, 0.2);
  r.candidates = {CandidateRecord{99, 7, 0.5, 0.1, 0.2, 1.5, 30, 0.05, {0.9, 0.1}, {0.1}, {}},
                  wide};
  r.targets = {{TargetRecord{99, {0.25, 0.75}, 1, 2, 3, 4}}, {}};
  r.models.windows = {{{1, 2}, {3}}};
  r.models.bins = {{{0.5}}};
  r.models.totals = {{0.7, 0.8}};
  r.models.counts = {StageCounts{1, 2, 3, 4}};
  MonitorCapture monitor;
  monitor.psi = {0.1};
  monitor.alert_log = {MonitorAlert{6.0, AlertKind::kCalibration, -1, 2.5, 1.5}};
  r.models.monitors = {monitor};
  r.models.columns = {{"device", "slot"}};
  r.models.importance = {{ColumnImportance{"gain", {0.3, 0.7}}}};
  ExperimentCapture experiment;
  experiment.snapshots = {{ArmSegmentSums{5.0, {}, {}, {}}}};
  experiment.enrolled_shares = {0.5};
  experiment.arm_shares = {{0.5, 0.5}};
  experiment.first_seen = {{1.0}};
  r.experiments = {experiment};
  return r;
}

}  // namespace

TEST_CASE("A replication record decodes to the same replication, bit for bit") {
  const FinishedReplication original = filled_replication();
  const std::string bytes = encode_replication(original);
  const FinishedReplication decoded = decode_replication(bytes, "test");
  CHECK(encode_replication(decoded) == bytes);
  CHECK(decoded.cell == 3);
  CHECK(decoded.replication == 17);
  CHECK(decoded.truth_arm == 2);
  CHECK(std::isnan(decoded.totals[2]));
  CHECK(std::signbit(decoded.totals[1]));
  CHECK(decoded.series[2] == std::vector<double>{4.5});
  CHECK(decoded.candidates[0].slot_probability == SlotValues{0.9, 0.1});
  CHECK(decoded.candidates[1].slot_probability == SlotValues{0.5, 0.2, 0.1, 0.1, 0.05, 0.05});
  CHECK(decoded.impressions[1].context.returning);
  CHECK(decoded.models.monitors[0].alert_log[0].kind == AlertKind::kCalibration);
  CHECK(decoded.models.importance[0][0].kind == "gain");
  CHECK(decoded.experiments[0].snapshots[0][0].units == 5.0);
  CHECK(decoded.latency.count(Stage::kScoring) == 1);
}

TEST_CASE("A replication encoded piece by piece is the record encoded in memory") {
  FinishedReplication large = filled_replication();
  // More than the streaming buffer holds: candidates go through it, impressions around it.
  large.candidates.resize(20000, large.candidates[1]);
  large.impressions.resize(12000, large.impressions[0]);
  REQUIRE(large.impressions.size() * sizeof(ImpressionRecord) > (std::size_t{1} << 20));
  for (const FinishedReplication& r : {filled_replication(), large}) {
    const std::string whole = encode_replication(r);
    std::string pieces;
    std::size_t calls = 0;
    encode_replication(r, [&](std::string_view piece) {
      CHECK(!piece.empty());
      pieces.append(piece);
      ++calls;
    });
    CHECK(pieces == whole);
    CHECK(encoded_size(r) == whole.size());
    if (whole.size() > (std::size_t{1} << 20)) {
      CHECK(calls > 2);
    } else {
      CHECK(calls == 1);
    }
  }
}

TEST_CASE("A damaged replication record is refused") {
  const std::string bytes = encode_replication(filled_replication());
  SECTION("every truncation") {
    for (std::size_t n = 0; n < bytes.size(); ++n)
      CHECK_THROWS_AS(decode_replication(std::string_view(bytes).substr(0, n), "test"), RunError);
  }
  SECTION("trailing bytes") { CHECK_THROWS_AS(decode_replication(bytes + "x", "test"), RunError); }
  SECTION("another format version") {
    std::string other = bytes;
    other[0] = 9;
    CHECK_THROWS_WITH(decode_replication(other, "f.journal"),
                      Catch::Contains("f.journal: not a replication record"));
  }
  SECTION("a huge count is refused before anything is allocated") {
    std::string huge = bytes;
    // The totals count follows version, cell, replication, arms, completed, events, wall_s.
    const std::size_t at = 4 + 8 + 8 + 4 + 4 + 1 + 8 + 8;
    const std::uint64_t count = std::uint64_t{1} << 60;
    std::memcpy(huge.data() + at, &count, sizeof count);
    CHECK_THROWS_AS(decode_replication(huge, "test"), RunError);
  }
}

TEST_CASE("Frames: a torn or damaged tail is where reading stops") {
  std::string stream;
  append_frame(stream, "first");
  append_frame(stream, std::string(1000, 'x'));
  const std::size_t two = stream.size();
  append_frame(stream, "third");
  FrameScan scan = scan_frames(stream);
  REQUIRE(scan.payloads.size() == 3);
  CHECK(scan.payloads[0] == "first");
  CHECK(scan.valid_bytes == stream.size());
  for (std::size_t cut = two; cut < stream.size(); ++cut) {
    scan = scan_frames(std::string_view(stream).substr(0, cut));
    CHECK(scan.payloads.size() == 2);
    CHECK(scan.valid_bytes == two);
  }
  std::string flipped = stream;
  flipped[two - 3] ^= 1;  // inside the second payload
  scan = scan_frames(flipped);
  CHECK(scan.payloads.size() == 1);
  CHECK(frame_checksum("a") != frame_checksum("b"));
}

TEST_CASE("Frames: a checksum taken piece by piece is the checksum of the whole") {
  std::string payload(45, '\0');
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 37 + 1);
  const std::string_view bytes(payload);
  for (std::size_t first = 0; first <= bytes.size(); ++first)
    for (std::size_t second = first; second <= bytes.size(); second += 3) {
      FrameChecksum checksum(bytes.size());
      checksum.add(bytes.substr(0, first));
      checksum.add(bytes.substr(first, second - first));
      checksum.add(std::string_view());
      checksum.add(bytes.substr(second));
      CHECK(checksum.value() == frame_checksum(bytes));
    }
  CHECK(frame_header(bytes.size(), frame_checksum(bytes)) == frame_header(bytes));
}

TEST_CASE("Frames: a header never written (zeros) ends the valid frames") {
  // The journal writes a payload before its header: a crash between the two leaves zeros there.
  std::string stream;
  append_frame(stream, "kept");
  const std::size_t kept = stream.size();
  stream.append(sizeof(FrameHeader), '\0');
  stream.append("payload whose header is missing");
  const FrameScan scan = scan_frames(stream);
  REQUIRE(scan.payloads.size() == 1);
  CHECK(scan.valid_bytes == kept);
  CHECK(scan_frames(std::string(sizeof(FrameHeader), '\0')).payloads.empty());
}

TEST_CASE("Frames: a header written before its payload makes the frame append_frame makes") {
  // The run journal writes frame_header(record) and then the record itself.
  const std::string payload(4099, 'y');  // not a whole number of 8-byte words
  std::string framed;
  append_frame(framed, payload);
  const FrameHeader header = frame_header(payload);
  CHECK(std::string(header.begin(), header.end()) + payload == framed);
  const FrameScan scan = scan_frames(framed);
  REQUIRE(scan.payloads.size() == 1);
  CHECK(scan.payloads[0] == payload);
}

}  // namespace marketsim
