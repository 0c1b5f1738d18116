// The run journal: a replication appended as it is encoded (streamed into the file) is the record
// an encoded string appends, byte for byte, and a resumed journal gives back every one.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sim/runner/replication_codec.h"
#include "sim/runner/run_journal.h"
#include "tests/temp_dir_test_support.h"

namespace marketsim {
namespace {

constexpr std::uint64_t kFingerprint = 0x5eed;

// Replication `index` of cell 0 with `candidates` logged candidates (a few MB for thousands).
FinishedReplication replication(std::size_t index, std::size_t candidates) {
  FinishedReplication r;
  r.replication = index;
  r.completed = true;
  r.events = 1000 + index;
  r.totals = {1.0 * static_cast<double>(index), 2.5};
  ImpressionRecord impression{};
  impression.transaction = index;
  r.impressions.assign(3, impression);
  for (std::size_t i = 0; i < candidates; ++i)
    r.candidates.push_back(CandidateRecord{i,
                                           static_cast<std::uint32_t>(i % 50),
                                           0.5,
                                           0.1,
                                           0.2,
                                           1.5,
                                           30,
                                           0.05,
                                           {0.9, 0.1, 0.0},
                                           {0.1, 0.05, 0.01},
                                           {0.2, 0.1, 0.05}});
  return r;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("A replication streamed into the journal is the record its encoding appends") {
  const test_support::TempDir dir("journal");
  const std::vector<FinishedReplication> worlds = {replication(0, 20000), replication(1, 0),
                                                   replication(2, 7)};
  std::vector<FinishedReplication> none;
  {
    RunJournal encoded(dir.file("encoded.journal"), kFingerprint, false, none);
    RunJournal streamed(dir.file("streamed.journal"), kFingerprint, false, none);
    for (const FinishedReplication& r : worlds) {
      encoded.append(encode_replication(r));
      streamed.append(r);
    }
  }
  const std::string bytes = read_file(dir.file("streamed.journal"));
  CHECK(bytes.size() > 20000 * 100);
  CHECK(bytes == read_file(dir.file("encoded.journal")));

  std::vector<FinishedReplication> kept;
  {
    RunJournal resumed(dir.file("streamed.journal"), kFingerprint, true, kept);
    REQUIRE(kept.size() == worlds.size());
    for (std::size_t i = 0; i < worlds.size(); ++i)
      CHECK(encode_replication(kept[i]) == encode_replication(worlds[i]));
    resumed.append(replication(3, 5));  // after the kept records
  }
  kept.clear();
  RunJournal again(dir.file("streamed.journal"), kFingerprint, true, kept);
  REQUIRE(kept.size() == 4);
  CHECK(kept[3].replication == 3);
  CHECK(kept[3].candidates.size() == 5);
}

}  // namespace marketsim
