#include "sim/runner/world_base_cache.h"

namespace marketsim {

void WorldBaseCache::expect(const std::string& signature, std::size_t replication) {
  std::lock_guard lock(mutex_);
  ++entries_[{signature, replication}].expected;
}

std::shared_ptr<const WorldBase> WorldBaseCache::acquire(const std::string& signature,
                                                         std::size_t replication,
                                                         const WorldSpec& spec,
                                                         ReplicationKey key) {
  std::promise<std::shared_ptr<const WorldBase>> promise;
  std::shared_future<std::shared_ptr<const WorldBase>> base;
  bool builder = false;
  {
    std::lock_guard lock(mutex_);
    Entry& entry = entries_[{signature, replication}];
    if (!entry.base.valid()) {
      entry.base = promise.get_future().share();
      builder = true;
    }
    base = entry.base;
  }
  if (builder) {
    try {
      promise.set_value(WorldBase::build(spec, key));
    } catch (...) {
      promise.set_exception(std::current_exception());
    }
  }
  return base.get();
}

void WorldBaseCache::release(const std::string& signature, std::size_t replication) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find({signature, replication});
  if (it != entries_.end() && --it->second.expected == 0) entries_.erase(it);
}

std::size_t WorldBaseCache::held() const {
  std::lock_guard lock(mutex_);
  std::size_t held = 0;
  for (const auto& [key, entry] : entries_) held += entry.base.valid() ? 1 : 0;
  return held;
}

}  // namespace marketsim
