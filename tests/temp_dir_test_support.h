// A fresh directory for a test's files, shared by the tests that write files.
#pragma once

#include <filesystem>
#include <string>

#include <unistd.h>

namespace marketsim::test_support {

// The directory marketsim_NAME_PID under the system temp dir, emptied on construction and
// removed on destruction (tests run as separate processes, so the pid keeps them apart).
struct TempDir {
  explicit TempDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() /
             ("marketsim_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The path of `name` in the directory.
  std::string file(const std::string& name) const { return (path / name).string(); }

  std::filesystem::path path;
};

}  // namespace marketsim::test_support
