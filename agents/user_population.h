// UserPopulation: the users who make transactions — attributes, tastes, satisfaction, returns.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "sim/core/huge_page_allocator.h"
#include "sim/core/param.h"
#include "sim/core/rng.h"

namespace marketsim {

inline constexpr int kDeviceCount = 3;   // 0 android, 1 ios, 2 desktop
inline constexpr int kAgeBandCount = 4;  // 18-29, 30-44, 45-64, 65+
inline constexpr int kMaxLatentDim = 20;

// Scenario parameters of the population (section [users]).
struct PopulationSpec {
  std::int64_t count = 0;
  std::vector<double> device_share;  // kDeviceCount weights
  std::vector<double> region_share;  // one weight per region
  std::vector<double> age_share;     // kAgeBandCount weights
  double returning_share = 0;
  std::int64_t latent_dim = 0;
  double return_rate_per_day = 0;  // return visits per day at the initial satisfaction
  double satisfaction_effect = 0;  // log change of the return rate per unit of satisfaction
  double initial_satisfaction = 0;
  double satisfaction_rate_shown = 0;    // pull of a shown offer's quality on satisfaction
  double satisfaction_rate_clicked = 0;  // pull of a clicked offer's quality

  static std::vector<ParamSpec> declare();
  static PopulationSpec from(const ParamValues& values);
};

// Observable attributes of one user, as models and policies see them.
struct UserAttributes {
  std::uint8_t device;
  std::uint8_t region;
  std::uint8_t age_band;
  bool returning;
};

// The users' fixed traits in one replication: observable attributes, latent tastes and the
// strata index, one 16-byte record per user while the latent vector has at most 12 dimensions,
// 32 bytes up to kMaxLatentDim (a request touches one cache line of it). Each user is
// drawn from its own stream ("users.attributes", user id), so the traits depend on nothing else in
// the scenario. Read-only once built: every world of a replication that has the same population
// shares one (see WorldBase).
class PopulationTraits {
 public:
  // Built on the calling thread's oneTBB arena, in blocks of users; throws BuildInterrupted when
  // `stop` becomes true before it is done.
  PopulationTraits(const PopulationSpec& spec, ReplicationKey key,
                   const std::atomic<bool>* stop = nullptr);

  std::size_t size() const { return chunks_.size() >> chunk_shift_; }
  const UserAttributes& operator[](std::size_t user) const { return record(user)->attributes; }
  int region_count() const { return region_count_; }
  int latent_dim() const { return latent_dim_; }
  // The user's latent preference vector, dequantized into `out`.
  void latent(std::size_t user, std::span<float> out) const;
  // Users grouped by (device, region, returning): the strata that data drift reweights.
  std::size_t stratum_of(const UserAttributes& a) const {
    return (static_cast<std::size_t>(a.device) * region_count_ + a.region) * 2 +
           (a.returning ? 1 : 0);
  }
  std::span<const std::uint32_t> stratum_members(std::size_t stratum) const {
    return {stratum_users_.data() + stratum_offsets_[stratum],
            stratum_offsets_[stratum + 1] - stratum_offsets_[stratum]};
  }
  void prefetch(std::size_t user) const { __builtin_prefetch(record(user)); }
  // Heap bytes held per user (the records and the strata index).
  double bytes_per_user() const;
  // What bytes_per_user() comes to for a population of `latent_dim` dimensions.
  static double bytes_per_user(std::int64_t latent_dim);

 private:
  int region_count_;
  int latent_dim_;
  static constexpr int kLatentPerChunk = 12;
  // A user's record is one chunk, or two when the latent vector does not fit in the first: the
  // second chunk's attributes are then unused and its latent values follow the first's. The
  // latent vector is quantized (int8, step 1/32).
  struct alignas(16) Chunk {
    UserAttributes attributes;
    std::int8_t latent[kLatentPerChunk];
  };
  static_assert(sizeof(Chunk) == 16 && kMaxLatentDim <= 2 * kLatentPerChunk);
  static int chunk_shift(std::int64_t latent_dim) { return latent_dim > kLatentPerChunk ? 1 : 0; }
  Chunk* record(std::size_t user) { return chunks_.data() + (user << chunk_shift_); }
  const Chunk* record(std::size_t user) const { return chunks_.data() + (user << chunk_shift_); }

  int chunk_shift_;  // log2 of the chunks per user
  // Sized without zeroing (every element is written once): a page is first touched by the block
  // of users that fills it, where the build checks for a stop, not in one long pass before. Read
  // at random, one user per request: on huge pages where the kernel allows.
  std::vector<Chunk, HugePageAllocator<Chunk>> chunks_;
  std::vector<std::uint32_t, HugePageAllocator<std::uint32_t>> stratum_users_;
  std::vector<std::size_t> stratum_offsets_;
};

// The users of one world: the replication's shared traits plus what the world's policy changes,
// each user's satisfaction and visit counter (8 bytes per user and world). Satisfaction starts
// at the spec's initial value and evolves with what the user is shown: that part is the
// policy's doing.
class UserPopulation {
 public:
  // Over traits built elsewhere (shared with other worlds of the replication); `traits` must
  // come from the same spec's population keys.
  UserPopulation(const PopulationSpec& spec, std::shared_ptr<const PopulationTraits> traits);
  // Over traits of its own.
  UserPopulation(const PopulationSpec& spec, ReplicationKey key);

  std::size_t size() const { return traits_->size(); }
  const UserAttributes& operator[](std::size_t user) const { return (*traits_)[user]; }
  int region_count() const { return traits_->region_count(); }
  int latent_dim() const { return traits_->latent_dim(); }
  const PopulationTraits& traits() const { return *traits_; }

  // The user's latent preference vector (hidden from policies), dequantized into `out`.
  void latent(std::size_t user, std::span<float> out) const { traits_->latent(user, out); }

  // Current satisfaction in [0, 1] (hidden from policies).
  float satisfaction(std::size_t user) const { return states_[user].satisfaction; }

  // Moves satisfaction toward the quality (in [0, 1]) of an offer the user was shown: by
  // satisfaction_rate_clicked when clicked, else by satisfaction_rate_shown times the probability
  // `examined` that the user looked at the slot.
  void experience(std::size_t user, double quality, bool clicked, double examined);

  // Rate of return visits of the user given its current satisfaction, per hour.
  double return_rate_per_hour(std::size_t user) const;

  // Starts the user's next visit cycle and returns its number; a scheduled return carrying an
  // older number is stale (the user came back earlier by itself).
  std::uint32_t next_visit(std::size_t user) { return ++states_[user].visits; }
  std::uint32_t visits(std::size_t user) const { return states_[user].visits; }

  std::size_t stratum_of(const UserAttributes& a) const { return traits_->stratum_of(a); }
  std::span<const std::uint32_t> stratum_members(std::size_t stratum) const {
    return traits_->stratum_members(stratum);
  }

  // Hints the processor to load `user`'s traits and state (no effect on results).
  void prefetch(std::size_t user) const {
    traits_->prefetch(user);
    __builtin_prefetch(&states_[user]);
  }

  // Heap bytes per user of the world's own state, and of the traits (shared or not).
  double own_bytes_per_user() const;
  double trait_bytes_per_user() const { return traits_->bytes_per_user(); }

 private:
  struct State {
    float satisfaction;
    std::uint32_t visits;
  };

  PopulationSpec spec_;
  std::shared_ptr<const PopulationTraits> traits_;
  std::vector<State, HugePageAllocator<State>> states_;  // read at random, like the records
};

}  // namespace marketsim
