// Ziggurat: standard normal draws from a random stream, fast enough for one draw per feature.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

#include "sim/core/rng.h"

namespace marketsim {

namespace ziggurat_detail {

inline constexpr int kLayers = 128;

// The layers' right edges (edge[0] is the base strip's equivalent width, edge[1] the tail's start
// R, edge[kLayers] = 0) and the ratios edge[i + 1] / edge[i] under which a draw is accepted at
// once.
struct Tables {
  std::array<double, kLayers + 1> edge{};
  std::array<double, kLayers> ratio{};
};
// The tables, computed once at start-up (so not for use by other static initialisers).
Tables make_tables();
inline const Tables kTables = make_tables();

// The rare rest of a draw whose uniform `u` in (-1, 1) fell outside the rectangle of `layer`: the
// wedge or the tail, or a fresh draw when the wedge rejects it. Defined for RngStream and
// MixStream. Cold and out of line, so that the 1% path does not bloat the loops that draw.
template <class Words>
[[gnu::cold, gnu::noinline]] double beyond_rectangle(Words& rng, double u, int layer);

}  // namespace ziggurat_detail

// A standard normal draw by the ziggurat method (Marsaglia & Tsang 2000, with the 128 layers and
// double-precision uniforms of Doornik 2005). About 99% of draws take two 32-bit words of `rng`
// (52 bits for the uniform, 7 others for the layer) and no transcendental function; the rest
// sample the wedge or the tail (Marsaglia 1964), or start over, with a few more words. Exact in
// distribution up to the uniforms' 52-bit resolution. `rng` is an RngStream or a MixStream.
template <class Words>
double ziggurat_normal(Words& rng) {
  const ziggurat_detail::Tables& t = ziggurat_detail::kTables;
  const std::uint32_t high = rng(), low = rng();
  // 52 bits of a uniform on a grid symmetric about 0 inside (-1, 1) (every step exact), and the
  // 7 lowest bits for the layer.
  const std::uint64_t bits = (std::uint64_t{high} << 20) | (low >> 12);
  const double u = (static_cast<double>(bits) + 0.5) * 0x1p-51 - 1.0;
  const auto layer = static_cast<int>(low & (ziggurat_detail::kLayers - 1));
  if (std::abs(u) < t.ratio[layer]) return u * t.edge[layer];
  return ziggurat_detail::beyond_rectangle(rng, u, layer);
}

}  // namespace marketsim
