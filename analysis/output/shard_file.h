// Shards: one process's slice of a run's worlds, kept as encoded records in an HDF5 file that
// `marketsim merge` joins into the file one process would have written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/output/results_file.h"

namespace marketsim {

// Slice `index` of `count` (0 <= index < count): the replications r with r % count == index,
// every cell of them and their counterfactual worlds. {0, 1} is the whole run.
struct ShardSpec {
  std::size_t index = 0;
  std::size_t count = 1;

  bool whole() const { return count == 1; }
  bool holds(std::size_t replication) const { return replication % count == index; }
};

// Parses "I/N" (0 <= I < N). Throws UsageError naming `option`.
ShardSpec parse_shard(const std::string& text, const std::string& option);

// What identifies a run's worlds: the software version, the scenario as read and resolved, the
// overrides, the seed and the shard. Journals and shards of one run agree on it.
std::uint64_t run_fingerprint(const Provenance& provenance, const ShardSpec& shard);

// The hexadecimal text of a fingerprint, as shard files store it.
std::string fingerprint_text(std::uint64_t fingerprint);

// A shard file's contents.
struct ShardContents {
  ShardSpec shard;
  std::string software_version;
  std::string scenario_path;
  std::string scenario_text;
  std::string fingerprint;  // of the whole run (shard {0, 1}), hexadecimal
  std::vector<std::string> overrides;
  std::vector<std::string> records;  // encoded FinishedReplication, in task order
};

// Writes `contents` to `path` through PATH.partial and an atomic rename (refused when
// `no_clobber` and `path` exists). Throws RunError on I/O failure.
void write_shard(const std::string& path, const ShardContents& contents, bool no_clobber);

// Reads a shard file. Throws RunError when `path` is not one (foreign, truncated or damaged).
ShardContents read_shard(const std::string& path);

}  // namespace marketsim
