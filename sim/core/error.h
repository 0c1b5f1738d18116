// Error types shared by every layer: what went wrong and whose fault it is.
#pragma once

#include <stdexcept>
#include <string>

namespace marketsim {

// Bad input from the user (scenario file, override, command line). The message is one complete
// line meant for people, e.g. "s.toml:14:9: recommender.explorer.epsilon_greedy.epsilon: must be
// in [0, 1], got 1.5". The CLI prints it and exits with code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure while running a valid scenario (I/O, internal invariant). The CLI exits with code 1.
class RunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What a run that ran out of memory tells the user (past the resource check: the estimate was
// low, or the process may use less memory than the machine has: ulimit, a container's limit).
inline constexpr const char* kOutOfMemoryMessage =
    "out of memory: fewer --threads or a smaller scenario need less (`marketsim validate` prints "
    "the estimate)";

// A long build (a population of many millions of users) abandoned because the run was asked to
// stop. The runner treats the world as not finished.
class BuildInterrupted : public std::runtime_error {
 public:
  BuildInterrupted() : std::runtime_error("interrupted while building the world") {}
};

}  // namespace marketsim
