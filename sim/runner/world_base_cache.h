// WorldBaseCache: one WorldBase per replication, shared by the worlds that run on it.
#pragma once

#include <cstddef>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "sim/world/world_base.h"

namespace marketsim {

// Hands every world of a replication whose cell has the same world_base_signature one shared
// WorldBase: the first world to ask builds it (the others wait for it), and the cache lets go of
// it once every expected use has been released, so a batch holds the bases of the replications
// in flight only. Safe to use from many threads.
class WorldBaseCache {
 public:
  // Announces one more world that will acquire the base of (signature, replication).
  void expect(const std::string& signature, std::size_t replication);

  // The base of (signature, replication), built from `spec` and `key` on first use.
  std::shared_ptr<const WorldBase> acquire(const std::string& signature, std::size_t replication,
                                           const WorldSpec& spec, ReplicationKey key);

  // One expected world is done with the base; the last one makes the cache drop it.
  void release(const std::string& signature, std::size_t replication);

  // Bases currently held by the cache.
  std::size_t held() const;

 private:
  struct Entry {
    std::size_t expected = 0;
    std::shared_future<std::shared_ptr<const WorldBase>> base;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::size_t>, Entry> entries_;
};

}  // namespace marketsim
