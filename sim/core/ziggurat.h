// Ziggurat: standard normal draws from a random stream, fast enough for one draw per feature.
#pragma once

#include "sim/core/rng.h"

namespace marketsim {

// A standard normal draw by the ziggurat method (Marsaglia & Tsang 2000, with the 128 layers and
// double-precision uniforms of Doornik 2005). About 99% of draws take two 32-bit words of `rng`
// (53 bits for the uniform, 7 for the layer) and no transcendental function; the rest retry or
// sample the wedge or the tail (Marsaglia 1964) with a few more words. Exact in distribution up
// to the uniforms' 53-bit resolution.
double ziggurat_normal(RngStream& rng);

}  // namespace marketsim
