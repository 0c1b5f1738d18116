#include "agents/draws.h"

#include <boost/random/lognormal_distribution.hpp>

namespace marketsim {

double lognormal_with_mean(RngStream& rng, double mean, double sigma) {
  if (sigma <= 0) return mean;
  boost::random::lognormal_distribution<double> factor(-0.5 * sigma * sigma, sigma);
  return mean * factor(rng);
}

void require_positive_total(const ParamValues& values, const std::string& path) {
  double total = 0;
  for (double w : values.get_real_list(path)) total += w;
  if (total <= 0) values.fail(path, "weights must not all be zero");
}

}  // namespace marketsim
