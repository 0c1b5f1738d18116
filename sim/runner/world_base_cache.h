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

// Hands every world of a replication whose cell has the same world_base_signature the base that
// is alive for it: the first world to ask builds it (others asking meanwhile wait for it), and it
// lives as long as some world holds it. The cache itself holds none, so a batch holds the bases
// of the worlds running, whatever order they run in; a base asked for again after its last world
// ended is rebuilt (the same base: a pure function of the spec and key). Safe to use from many
// threads.
class WorldBaseCache {
 public:
  // The base of (signature, replication), built from `spec` and `key` unless a running world
  // holds it. Throws BuildInterrupted when `stop` is set while it is being built.
  std::shared_ptr<const WorldBase> acquire(const std::string& signature, std::size_t replication,
                                           const WorldSpec& spec, ReplicationKey key,
                                           const std::atomic<bool>* stop = nullptr);

  // Bases alive now (held by some world).
  std::size_t alive() const;

 private:
  struct Entry {
    std::weak_ptr<const WorldBase> base;
    std::shared_future<std::shared_ptr<const WorldBase>> building;  // valid while being built
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::size_t>, Entry> entries_;
};

}  // namespace marketsim
