#include "sim/core/ziggurat.h"

namespace marketsim::ziggurat_detail {
namespace {

constexpr double kTailStart = 3.442619855899;       // R: where the base layer's tail begins
constexpr double kLayerArea = 9.91256303526217e-3;  // V: the area of every layer

double density(double x) { return std::exp(-0.5 * x * x); }  // unnormalized

// A uniform in (0, 1) with 32 bits of resolution.
template <class Words>
double unit(Words& rng) {
  return to_unit_open(rng());
}

}  // namespace

Tables make_tables() {
  Tables t;
  t.edge[0] = kLayerArea / density(kTailStart);
  t.edge[1] = kTailStart;
  for (int i = 1; i < kLayers - 1; ++i)
    t.edge[i + 1] = std::sqrt(-2.0 * std::log(kLayerArea / t.edge[i] + density(t.edge[i])));
  t.edge[kLayers] = 0.0;
  for (int i = 0; i < kLayers; ++i) t.ratio[i] = t.edge[i + 1] / t.edge[i];
  return t;
}

template <class Words>
double beyond_rectangle(Words& rng, double u, int layer) {
  const Tables& t = kTables;
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
  const double bottom = density(t.edge[layer]), top = density(t.edge[layer + 1]);
  if (bottom + unit(rng) * (top - bottom) < density(x)) return x;
  return ziggurat_normal(rng);
}

template double beyond_rectangle(RngStream&, double, int);
template double beyond_rectangle(MixStream&, double, int);

}  // namespace marketsim::ziggurat_detail
