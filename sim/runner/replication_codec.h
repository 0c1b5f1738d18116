// Byte encoding of a FinishedReplication, so that a finished world can be kept on disk (the run
// journal, shard files) and handed to the results writer later exactly as if it had just finished.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "sim/runner/replication_capture.h"

namespace marketsim {

// Every field of `replication`, doubles bit for bit, behind a format version. The encoding is
// only read back by the same software version (journals and shards carry the version).
std::string encode_replication(const FinishedReplication& replication);

// The size of encode_replication(replication), found without encoding it.
std::size_t encoded_size(const FinishedReplication& replication);

// Hands the bytes of encode_replication(replication) to `sink`, in order, a piece at a time
// (pieces of at most 1 MiB from one reused buffer, and larger arrays of plain values as they lie
// in memory), so that a record of hundreds of MB of logs is never held whole.
void encode_replication(const FinishedReplication& replication,
                        const std::function<void(std::string_view)>& sink);

// The replication `encode_replication` encoded. Throws RunError naming `source` when `bytes` is
// not such an encoding (wrong version, truncated, trailing bytes, a length larger than what
// remains); never allocates more than a small multiple of bytes.size().
FinishedReplication decode_replication(std::string_view bytes, const std::string& source);

}  // namespace marketsim
