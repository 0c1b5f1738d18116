// LogisticLaplace: online Bayesian logistic regression on hashed context x offer features.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/predictor.h"

namespace marketsim {

// P(click) = sigmoid(w . x) with a diagonal Gaussian (Laplace) posterior N(m, diag(1/q)) on w,
// after Chapelle & Li 2011, "An Empirical Evaluation of Thompson Sampling", Algorithm 3.
// x is a hashed one-hot vector (2^hash_bits buckets; colliding features add up) of: a bias, the
// offer, offer x device, offer x region, device, region, age band, returning, partner. The slot is
// ignored, so estimates are position-confounded, as with "beta"; so is the role's feature
// pipeline (recommender.<role>.features): these features are fixed.
//
// Update: Algorithm 3 with a batch of one impression, applied as each impression is learned. For
// one example the MAP point lies on w = m + t diag(1/q) x, so the minimisation is a scalar root
// (solved exactly by safeguarded Newton) rather than a Newton/IRLS refit over a stored batch: no
// buffer, no batch-size parameter, and the posterior is always current. Then
//   m <- w_MAP,   q_i <- q_i + p (1 - p) x_i^2   with p = sigmoid(w_MAP . x).
// predict() is the posterior predictive mean under the probit approximation (MacKay 1992),
// sigmoid(mu / sqrt(1 + pi s^2 / 8)) with mu = m . x and s^2 = sum_i x_i^2 / q_i. sample() makes
// ONE draw of w ~ N(m, diag(1/q)) per call, shared by all the offers (a joint draw), and returns
// sigmoid(w . x) for each: the weights are drawn lazily, each from a stream keyed by the call's
// key and the bucket, so a bucket used by several offers has the same weight for all of them.
// evidence() is the number of impressions learned for the offer. An example of sample weight w
// counts as its likelihood to the power w (w times the evidence of a weight-1 example).
// Allocation-free after construction; const methods are safe to call concurrently.
class LogisticLaplace final : public Predictor {
 public:
  // `hash_bits` in [1, 30]; `prior_variance` > 0 (variance of each weight before any data).
  LogisticLaplace(int hash_bits, double prior_variance, const PredictorContext& context);

  // Bytes of the posterior over 2^hash_bits buckets: what the model's memory grows with.
  static double posterior_bytes(int hash_bits);

  bool has_posterior() const override { return true; }

  // Posterior mean and variance of the weight of feature bucket `bucket` (for tests, diagnostics).
  double weight_mean(std::uint32_t bucket) const { return weights_[bucket].mean; }
  double weight_variance(std::uint32_t bucket) const { return 1.0 / weights_[bucket].precision; }

  // The bucket of the offer's own main-effect feature.
  std::uint32_t offer_bucket(std::uint32_t offer) const;

 private:
  static constexpr int kContextFeatures = 6;  // bias, device, region, age band, returning, partner
  static constexpr int kOfferFeatures = 3;    // offer, offer x device, offer x region
  using ContextBuckets = std::array<std::uint32_t, kContextFeatures>;
  using OfferBuckets = std::array<std::uint32_t, kOfferFeatures>;

  // The active buckets of one (request, offer) with their counts (x_i), duplicates merged, in
  // order of first occurrence (context features, then the offer's).
  struct Active {
    std::array<std::uint32_t, kContextFeatures + kOfferFeatures> bucket{};
    std::array<double, kContextFeatures + kOfferFeatures> x{};
    int size = 0;

    // One more occurrence of bucket `b`: its count grows, or it becomes active.
    void add(std::uint32_t b);
  };

  void do_predict(const RequestFeatures& request, std::span<const std::uint32_t> offers, int slot,
                  std::span<double> out) const override;
  void do_train(std::span<const Example> batch) override;
  void do_reset() override;
  void learn_one(const RequestFeatures& request, std::uint32_t offer, bool label, double weight);
  void do_sample(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                 RngStream& rng, std::span<double> out) const override;
  void do_evidence(const RequestFeatures& request, std::span<const std::uint32_t> offers,
                   std::span<double> out) const override;

  // The request-independent part of an offer's feature hashes: its main effect, and the first
  // half of its crosses with device and region.
  struct OfferHashes {
    std::uint64_t offer, offer_device, offer_region;
  };
  static OfferHashes hashes_of(std::uint32_t offer);
  // An offer's buckets for the usual feature values, looked up instead of hashed per request: its
  // main effect, and its crosses with devices and regions below these counts (others are hashed).
  static constexpr std::size_t kTabledDevices = 4, kTabledRegions = 8;
  struct OfferTable {
    std::uint32_t offer;
    std::array<std::uint32_t, kTabledDevices> device;
    std::array<std::uint32_t, kTabledRegions> region;
  };

  ContextBuckets context_buckets(const RequestFeatures& request) const;
  OfferBuckets offer_buckets(const RequestFeatures& request, std::uint32_t offer) const;
  // The request's context buckets, merged (the same for every offer of the request).
  Active context_active(const RequestFeatures& request) const;
  // The context's active buckets followed by the offer's own (merged in that order).
  static Active merged(const Active& context, const OfferBuckets& own);
  // Adds m . x and sum_i x_i^2 / q_i over the active buckets, in their order.
  void add_sums(const Active& a, double& mu, double& variance) const;

  std::uint32_t mask_;
  double prior_precision_;
  // One bucket's posterior: mean m_i and precision q_i side by side, so that a request's random
  // accesses into the 2^hash_bits buckets touch one cache line per bucket, not two.
  struct Weight {
    double mean;
    double precision;
  };
  std::vector<Weight> weights_;
  std::vector<double> impressions_;
  std::vector<OfferTable> offer_tables_;  // by catalog id
};

// Adds "logistic_laplace" to the registry.
void register_logistic_laplace(PredictorRegistry& registry);

}  // namespace marketsim
