// The run journal OUT.journal: every world a run finishes, appended and flushed to disk as it
// finishes, so that an interrupted or killed run (SIGINT, kill -9, a full disk) loses none of
// them and `marketsim run --resume` continues where it stopped. Holding the journal also locks the
// output name: a second run with the same -o is refused before it touches OUT.partial.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/runner/replication_capture.h"

namespace marketsim {

// An open, locked journal. Records are appended by one thread.
class RunJournal {
 public:
  // Locks OUT.journal (`path`) and, with `resume` and a journal there written for the same
  // `fingerprint`, keeps its records in `kept` (a record cut short by a crash is dropped);
  // otherwise starts an empty journal (saying so on stderr when it replaces an interrupted run's
  // records). Throws UsageError when another process holds the journal, or when `resume` finds a
  // journal of another fingerprint; RunError on I/O failure.
  RunJournal(std::string path, std::uint64_t fingerprint, bool resume,
             std::vector<FinishedReplication>& kept);
  ~RunJournal();
  RunJournal(const RunJournal&) = delete;
  RunJournal& operator=(const RunJournal&) = delete;

  // Appends `record` (a replication as encode_replication encodes it) and flushes it to disk
  // (fdatasync). Throws RunError on failure (the records before it stay readable).
  void append(std::string_view record);

  // Appends the record encode_replication(replication) makes, encoding it straight into the file
  // (a record of hundreds of MB of logs is never held whole in memory), and flushes it to disk.
  // Throws RunError on failure (the records before it stay readable).
  void append(const FinishedReplication& replication);

  // Deletes the journal (once the output it fed is in place); it stays locked until destroyed.
  void remove();

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace marketsim
