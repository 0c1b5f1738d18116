#include "sim/runner/run_journal.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/output/record_frames.h"
#include "sim/core/error.h"
#include "sim/runner/replication_codec.h"

namespace marketsim {
namespace {

constexpr char kMagic[16] = {'m', 'a', 'r', 'k', 'e', 't', 's', 'i',
                             'm', ' ', 'j', 'o', 'u', 'r', 'n', '1'};
constexpr std::size_t kHeaderBytes = sizeof kMagic + sizeof(std::uint64_t);

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw RunError(path + ": " + what + ": " + std::strerror(errno));
}

void write_all(int fd, const std::string& path, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path, "cannot write");
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

std::string read_all(int fd, const std::string& path) {
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path, "cannot read");
    if (n == 0) return bytes;
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
}

// Opens and locks `path`, retrying when the file it locked was renamed or removed meanwhile by
// the run that held it.
int open_locked(const std::string& path) {
  for (;;) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) fail(path, "cannot open");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int saved = errno;
      ::close(fd);
      if (saved == EWOULDBLOCK)
        throw UsageError(path +
                         ": another marketsim run is writing this output (its journal is "
                         "locked); wait for it or choose another -o");
      errno = saved;
      fail(path, "cannot lock");
    }
    struct stat opened {};
    struct stat named {};
    if (::fstat(fd, &opened) == 0 && ::stat(path.c_str(), &named) == 0 &&
        opened.st_dev == named.st_dev && opened.st_ino == named.st_ino)
      return fd;
    ::close(fd);
  }
}

}  // namespace

RunJournal::RunJournal(std::string path, std::uint64_t fingerprint, bool resume,
                       std::vector<FinishedReplication>& kept)
    : path_(std::move(path)), fd_(open_locked(path_)) {
  try {
    const std::string bytes = read_all(fd_, path_);
    const bool ours =
        bytes.size() >= kHeaderBytes && std::memcmp(bytes.data(), kMagic, sizeof kMagic) == 0;
    std::uint64_t written_for = 0;
    if (ours) std::memcpy(&written_for, bytes.data() + sizeof kMagic, sizeof written_for);
    std::size_t keep_bytes = 0;
    if (resume && ours) {
      if (written_for != fingerprint)
        throw UsageError(path_ +
                         ": --resume: this journal was written for another scenario, override, "
                         "seed, shard or software version; remove it or choose another -o");
      const std::string_view records = std::string_view(bytes).substr(kHeaderBytes);
      const FrameScan scan = scan_frames(records);
      for (std::string_view payload : scan.payloads)
        kept.push_back(decode_replication(payload, path_));
      keep_bytes = kHeaderBytes + scan.valid_bytes;
    } else if (!resume && ours && bytes.size() > kHeaderBytes) {
      std::fprintf(stderr,
                   "marketsim: %s held an interrupted run's replications; starting over (--resume "
                   "continues such a run)\n",
                   path_.c_str());
    }
    if (keep_bytes == 0) {
      if (::ftruncate(fd_, 0) != 0) fail(path_, "cannot truncate");
      char header[kHeaderBytes];
      std::memcpy(header, kMagic, sizeof kMagic);
      std::memcpy(header + sizeof kMagic, &fingerprint, sizeof fingerprint);
      if (::lseek(fd_, 0, SEEK_SET) < 0) fail(path_, "cannot seek");
      write_all(fd_, path_, header, sizeof header);
    } else {
      if (::ftruncate(fd_, static_cast<off_t>(keep_bytes)) != 0) fail(path_, "cannot truncate");
      if (::lseek(fd_, static_cast<off_t>(keep_bytes), SEEK_SET) < 0) fail(path_, "cannot seek");
    }
    if (::fdatasync(fd_) != 0) fail(path_, "cannot flush");
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

RunJournal::~RunJournal() { ::close(fd_); }

void RunJournal::append(std::string_view record) {
  // The header, then the record from where it lies: a record can be gigabytes of logs, which a
  // frame built in memory would copy once more.
  const FrameHeader header = frame_header(record);
  const off_t end = ::lseek(fd_, 0, SEEK_CUR);
  try {
    write_all(fd_, path_, header.data(), header.size());
    write_all(fd_, path_, record.data(), record.size());
    if (::fdatasync(fd_) != 0) fail(path_, "cannot flush");
  } catch (...) {
    // Cut a half-written record off, so the records before it stay the journal's end.
    if (end >= 0 && ::ftruncate(fd_, end) == 0) ::lseek(fd_, end, SEEK_SET);
    throw;
  }
}

void RunJournal::append(const FinishedReplication& replication) {
  // The payload first, after room for its header, then the header with the payload's checksum:
  // until the header is written the frame reads as a zero header, which fails its checksum.
  const off_t end = ::lseek(fd_, 0, SEEK_CUR);
  try {
    if (end < 0 || ::lseek(fd_, end + static_cast<off_t>(sizeof(FrameHeader)), SEEK_SET) < 0)
      fail(path_, "cannot seek");
    const std::size_t size = encoded_size(replication);
    FrameChecksum checksum(size);
    encode_replication(replication, [&](std::string_view bytes) {
      checksum.add(bytes);
      write_all(fd_, path_, bytes.data(), bytes.size());
    });
    const FrameHeader header = frame_header(size, checksum.value());
    if (::pwrite(fd_, header.data(), header.size(), end) != static_cast<ssize_t>(header.size()))
      fail(path_, "cannot write");
    if (::fdatasync(fd_) != 0) fail(path_, "cannot flush");
  } catch (...) {
    if (end >= 0 && ::ftruncate(fd_, end) == 0) ::lseek(fd_, end, SEEK_SET);
    throw;
  }
}

void RunJournal::remove() {
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT) fail(path_, "cannot remove");
}

}  // namespace marketsim
