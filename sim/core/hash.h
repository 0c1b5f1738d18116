// splitmix64: the one 64-bit mixing function used for hashing ids and features.
#pragma once

#include <cstdint>

namespace marketsim {

// The SplitMix64 finaliser (Steele, Lea and Flood 2014): a fast, well-mixed, invertible 64-bit
// hash. The same input gives the same output on every platform.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace marketsim
