// Byte encoding of a FinishedReplication, so that a finished world can be kept on disk (the run
// journal, shard files) and handed to the results writer later exactly as if it had just finished.
#pragma once

#include <string>
#include <string_view>

#include "sim/runner/replication_capture.h"

namespace marketsim {

// Every field of `replication`, doubles bit for bit, behind a format version. The encoding is
// only read back by the same software version (journals and shards carry the version).
std::string encode_replication(const FinishedReplication& replication);

// The replication `encode_replication` encoded. Throws RunError naming `source` when `bytes` is
// not such an encoding (wrong version, truncated, trailing bytes, a length larger than what
// remains); never allocates more than a small multiple of bytes.size().
FinishedReplication decode_replication(std::string_view bytes, const std::string& source);

}  // namespace marketsim
