#include "sim/core/rng.h"

#include "sim/core/hash.h"

namespace marketsim {

CounterRng::CounterRng(ReplicationKey key, std::string_view component)
    : component_(component_id(component)) {
  const std::uint64_t mixed = splitmix64(splitmix64(key.seed) ^ key.replication);
  key_ = {{static_cast<std::uint32_t>(mixed), static_cast<std::uint32_t>(mixed >> 32)}};
}

RngStream::RngStream(ReplicationKey key, std::string_view component, std::uint32_t entity,
                     std::uint64_t first_block)
    : counter_(key, component), entity_(entity), position_(first_block) {}

}  // namespace marketsim
