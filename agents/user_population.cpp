#include "agents/user_population.h"

#include "agents/draws.h"
#include "sim/core/error.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <boost/random/discrete_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <cstdio>

namespace marketsim {
namespace {

constexpr float kLatentScale = 32.0f;            // int8 step 1/32: latent values in [-4, 3.97]
constexpr std::size_t kUsersPerBlock = 1 << 16;  // a block's work: about 10 ms
// The most return visits a user may make in a day, at full satisfaction.
constexpr double kMaxReturnsPerDay = 1000.0;

// std::round(x) clamped to [-128, 127], without a library call: clamping first is the same (the
// bounds are whole and rounding is monotone), and the clamped value's fraction is exact.
std::int8_t quantized(float x) {
  const float clamped = std::clamp(x, -128.0f, 127.0f);
  const int whole = static_cast<int>(clamped);                 // toward zero
  const float fraction = clamped - static_cast<float>(whole);  // has the sign of x, or is 0
  // Comparisons rather than a branch: the fraction's half is a coin flip for the predictor.
  return static_cast<std::int8_t>(whole + (fraction >= 0.5f) - (fraction <= -0.5f));
}

}  // namespace

std::vector<ParamSpec> PopulationSpec::declare() {
  return {
      ParamSpec::integer("count", 100000, 1, 1e8, "number of users in the population"),
      ParamSpec::real_list("device_share", {0.55, 0.30, 0.15}, kDeviceCount, 0, 1e6,
                           "relative weights of android, ios, desktop"),
      ParamSpec::real_list("region_share", {0.4, 0.3, 0.2, 0.1}, 0, 0, 1e6,
                           "relative weights of the regions (their number is the list length)"),
      ParamSpec::real_list("age_share", {0.25, 0.35, 0.3, 0.1}, kAgeBandCount, 0, 1e6,
                           "relative weights of age bands 18-29, 30-44, 45-64, 65+"),
      ParamSpec::real("returning_share", 0.6, 0, 1, "probability that a user is returning"),
      ParamSpec::integer("latent_dim", 8, 1, kMaxLatentDim,
                         "dimension of the users' latent preference vectors"),
      ParamSpec::real("return_rate_per_day", 0.2, 0, 1e3,
                      "return visits per user and day at the initial satisfaction", "1/d"),
      ParamSpec::real("satisfaction_effect", 4.0, 0, 50,
                      "log change of the return rate per unit of satisfaction (the rate at full "
                      "satisfaction may not exceed 1000 a day)"),
      ParamSpec::real("initial_satisfaction", 0.5, 0, 1, "every user's satisfaction at the start"),
      ParamSpec::real("satisfaction_rate_shown", 0.02, 0, 1,
                      "pull of a shown offer's quality on satisfaction"),
      ParamSpec::real("satisfaction_rate_clicked", 0.2, 0, 1,
                      "pull of a clicked offer's quality on satisfaction"),
  };
}

PopulationSpec PopulationSpec::from(const ParamValues& values) {
  for (const char* path : {"device_share", "region_share", "age_share"})
    require_positive_total(values, path);
  PopulationSpec spec;
  spec.count = values.get_int("count");
  spec.device_share = values.get_real_list("device_share");
  spec.region_share = values.get_real_list("region_share");
  spec.age_share = values.get_real_list("age_share");
  spec.returning_share = values.get_real("returning_share");
  spec.latent_dim = values.get_int("latent_dim");
  spec.return_rate_per_day = values.get_real("return_rate_per_day");
  spec.satisfaction_effect = values.get_real("satisfaction_effect");
  spec.initial_satisfaction = values.get_real("initial_satisfaction");
  spec.satisfaction_rate_shown = values.get_real("satisfaction_rate_shown");
  spec.satisfaction_rate_clicked = values.get_real("satisfaction_rate_clicked");
  // Satisfaction moves within [0, 1], so the return rate is at most this; beyond it return delays
  // round to zero microseconds and simulated time would stop.
  const double highest = spec.return_rate_per_day *
                         std::exp(spec.satisfaction_effect * (1.0 - spec.initial_satisfaction));
  if (highest > kMaxReturnsPerDay) {
    char message[200];
    std::snprintf(message, sizeof message,
                  "a fully satisfied user would return %.3g times a day (at most %g); lower it or "
                  "raise users.initial_satisfaction or lower users.return_rate_per_day",
                  highest, kMaxReturnsPerDay);
    values.fail("satisfaction_effect", message);
  }
  return spec;
}

PopulationTraits::PopulationTraits(const PopulationSpec& spec, ReplicationKey key,
                                   const std::atomic<bool>* stop)
    : region_count_(static_cast<int>(spec.region_share.size())),
      latent_dim_(static_cast<int>(spec.latent_dim)),
      chunk_shift_(chunk_shift(spec.latent_dim)) {
  const auto n = static_cast<std::size_t>(spec.count);
  chunks_.resize(n << chunk_shift_);
  // Each user draws from its own stream, so blocks of users are built in any order and on any
  // thread with the same result; isolated, so that a thread waiting here takes no unrelated task.
  tbb::this_task_arena::isolate([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, n, kUsersPerBlock),
        [&](const tbb::blocked_range<std::size_t>& users) {
          if (stop != nullptr && stop->load(std::memory_order_relaxed)) return;
          boost::random::discrete_distribution<int> device(spec.device_share);
          boost::random::discrete_distribution<int> region(spec.region_share);
          boost::random::discrete_distribution<int> age(spec.age_share);
          boost::random::uniform_01<double> unit;
          boost::random::normal_distribution<float> normal;
          const RngStream streams(key, "users.attributes", 0);
          for (std::size_t u = users.begin(); u < users.end(); ++u) {
            RngStream rng = streams.at(static_cast<std::uint32_t>(u));
            Chunk* chunk = record(u);
            for (int c = 0; c <= chunk_shift_; ++c) chunk[c] = Chunk{};
            chunk->attributes = UserAttributes{
                static_cast<std::uint8_t>(device(rng)), static_cast<std::uint8_t>(region(rng)),
                static_cast<std::uint8_t>(age(rng)), unit(rng) < spec.returning_share};
            for (int i = 0; i < latent_dim_; ++i)
              chunk[i / kLatentPerChunk].latent[i % kLatentPerChunk] =
                  quantized(normal(rng) * kLatentScale);
          }
        },
        tbb::simple_partitioner());
  });
  if (stop != nullptr && stop->load()) throw BuildInterrupted();
  const std::size_t strata = static_cast<std::size_t>(kDeviceCount) * region_count_ * 2;
  stratum_offsets_.assign(strata + 1, 0);
  for (std::size_t u = 0; u < n; ++u) ++stratum_offsets_[stratum_of((*this)[u]) + 1];
  for (std::size_t s = 0; s < strata; ++s) stratum_offsets_[s + 1] += stratum_offsets_[s];
  stratum_users_.resize(n);
  std::vector<std::size_t> fill(stratum_offsets_.begin(), stratum_offsets_.end() - 1);
  for (std::size_t u = 0; u < n; ++u)
    stratum_users_[fill[stratum_of((*this)[u])]++] = static_cast<std::uint32_t>(u);
}

void PopulationTraits::latent(std::size_t user, std::span<float> out) const {
  const Chunk* chunk = record(user);
  const int first = std::min(latent_dim_, kLatentPerChunk);
  for (int i = 0; i < first; ++i) out[i] = chunk[0].latent[i] / kLatentScale;
  for (int i = first; i < latent_dim_; ++i) out[i] = chunk[1].latent[i - first] / kLatentScale;
}

double PopulationTraits::bytes_per_user() const {
  const double bytes = static_cast<double>(sizeof(Chunk) * chunks_.capacity() +
                                           sizeof(std::uint32_t) * stratum_users_.capacity());
  return chunks_.empty() ? 0.0 : bytes / static_cast<double>(size());
}

double PopulationTraits::bytes_per_user(std::int64_t latent_dim) {
  return static_cast<double>((sizeof(Chunk) << chunk_shift(latent_dim)) + sizeof(std::uint32_t));
}

UserPopulation::UserPopulation(const PopulationSpec& spec,
                               std::shared_ptr<const PopulationTraits> traits)
    : spec_(spec),
      traits_(std::move(traits)),
      states_(traits_->size(), State{static_cast<float>(spec.initial_satisfaction), 0}) {}

UserPopulation::UserPopulation(const PopulationSpec& spec, ReplicationKey key)
    : UserPopulation(spec, std::make_shared<const PopulationTraits>(spec, key)) {}

void UserPopulation::experience(std::size_t user, double quality, bool clicked, double examined) {
  const double rate =
      clicked ? spec_.satisfaction_rate_clicked : spec_.satisfaction_rate_shown * examined;
  float& s = states_[user].satisfaction;
  s = static_cast<float>(s + rate * (quality - s));
}

double UserPopulation::return_rate_per_hour(std::size_t user) const {
  return spec_.return_rate_per_day / 24.0 *
         std::exp(spec_.satisfaction_effect *
                  (states_[user].satisfaction - spec_.initial_satisfaction));
}

double UserPopulation::own_bytes_per_user() const {
  return states_.empty() ? 0.0
                         : static_cast<double>(sizeof(State) * states_.capacity()) /
                               static_cast<double>(states_.size());
}

}  // namespace marketsim
