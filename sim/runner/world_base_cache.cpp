#include "sim/runner/world_base_cache.h"

#include <iterator>

namespace marketsim {

std::shared_ptr<const WorldBase> WorldBaseCache::acquire(const std::string& signature,
                                                         std::size_t replication,
                                                         const WorldSpec& spec, ReplicationKey key,
                                                         const std::atomic<bool>* stop) {
  std::promise<std::shared_ptr<const WorldBase>> promise;
  std::shared_future<std::shared_ptr<const WorldBase>> building;
  {
    std::lock_guard lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end();)  // forget bases no world holds
      it = it->second.base.expired() && !it->second.building.valid() ? entries_.erase(it)
                                                                     : std::next(it);
    Entry& entry = entries_[{signature, replication}];
    if (auto base = entry.base.lock()) return base;
    if (entry.building.valid())
      building = entry.building;  // another world is building it: wait outside the lock
    else
      entry.building = promise.get_future().share();
  }
  if (building.valid()) return building.get();
  std::shared_ptr<const WorldBase> base;
  try {
    base = WorldBase::build(spec, key, stop);
    promise.set_value(base);
  } catch (...) {
    promise.set_exception(std::current_exception());
    std::lock_guard lock(mutex_);
    entries_[{signature, replication}].building = {};
    throw;
  }
  std::lock_guard lock(mutex_);
  Entry& entry = entries_[{signature, replication}];
  entry.base = base;
  entry.building = {};
  return base;
}

std::size_t WorldBaseCache::alive() const {
  std::lock_guard lock(mutex_);
  std::size_t alive = 0;
  for (const auto& [key, entry] : entries_) alive += entry.base.expired() ? 0 : 1;
  return alive;
}

}  // namespace marketsim
