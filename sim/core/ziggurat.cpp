#include "sim/core/ziggurat.h"

#include <array>
#include <cmath>
#include <cstdint>

namespace marketsim {
namespace {

constexpr int kLayers = 128;
constexpr double kTailStart = 3.442619855899;       // R: where the base layer's tail begins
constexpr double kLayerArea = 9.91256303526217e-3;  // V: the area of every layer

double density(double x) { return std::exp(-0.5 * x * x); }  // unnormalized

// The layers' right edges x[0..kLayers] (x[0] = V / f(R), the base strip's equivalent width;
// x[1] = R; x[kLayers] = 0) and the ratios x[i + 1] / x[i] under which a draw is accepted at once.
struct Tables {
  std::array<double, kLayers + 1> edge{};
  std::array<double, kLayers> ratio{};

  Tables() {
    edge[0] = kLayerArea / density(kTailStart);
    edge[1] = kTailStart;
    for (int i = 1; i < kLayers - 1; ++i)
      edge[i + 1] = std::sqrt(-2.0 * std::log(kLayerArea / edge[i] + density(edge[i])));
    edge[kLayers] = 0.0;
    for (int i = 0; i < kLayers; ++i) ratio[i] = edge[i + 1] / edge[i];
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

// A uniform in (0, 1) with 32 bits of resolution.
double unit(RngStream& rng) { return to_unit_open(rng()); }

}  // namespace

double ziggurat_normal(RngStream& rng) {
  const Tables& t = tables();
  for (;;) {
    const std::uint32_t high = rng(), low = rng();
    // 53 bits of a signed uniform in (-1, 1) and 7 other bits for the layer.
    const std::uint64_t bits = (std::uint64_t{high} << 21) | (low >> 11);
    const double u = (static_cast<double>(bits) + 0.5) * 0x1p-52 - 1.0;
    const auto layer = static_cast<int>(low & (kLayers - 1));
    if (std::abs(u) < t.ratio[layer]) return u * t.edge[layer];
    if (layer == 0) {
      // The tail beyond R, by Marsaglia's exponential rejection.
      double x, y;
      do {
        x = -std::log(unit(rng)) / kTailStart;
        y = -std::log(unit(rng));
      } while (y + y < x * x);
      return u < 0 ? -(kTailStart + x) : kTailStart + x;
    }
    // The wedge between the layer's rectangle and the density.
    const double x = u * t.edge[layer];
    const double inner = density(t.edge[layer]), outer = density(t.edge[layer + 1]);
    if (inner + unit(rng) * (outer - inner) < density(x)) return x;
  }
}

}  // namespace marketsim
