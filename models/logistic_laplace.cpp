// LogisticLaplace: hashed features, per-impression Laplace updates, joint posterior draws.
#include "models/logistic_laplace.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "models/sigmoid.h"
#include "sim/core/hash.h"
#include "sim/core/ziggurat.h"

namespace marketsim {

namespace {

// CPU per prediction beyond the Beta model's, its training included (resource estimate): ranker
// logistic_laplace on bench/reference.toml costs 1.42 us more per transaction than beta (1
// replication, 1.13 million transactions, 2-core development machine), over ~51.5 predictions per
// transaction (48.5 candidates and 3 shown slots).
constexpr double kCpuSecondsPerPrediction = 28e-9;

enum FeatureKind : std::uint64_t {
  kBias,
  kOffer,
  kOfferDevice,
  kOfferRegion,
  kDevice,
  kRegion,
  kAgeBand,
  kReturning,
  kPartner
};

// The MAP logit s of one example: the root of s - mu + v (sigmoid(s) - y), which is increasing in
// s and bracketed by [mu, mu + v] for a click and [mu - v, mu] otherwise. Newton steps that leave
// the bracket are replaced by bisection.
double map_logit(double mu, double v, double y) {
  double lo = y > 0.5 ? mu : mu - v;
  double hi = y > 0.5 ? mu + v : mu;
  double s = mu;
  for (int iter = 0; iter < 100; ++iter) {
    const double p = sigmoid(s);
    const double f = s - mu + v * (p - y);
    if (std::abs(f) <= 1e-13 * (1.0 + std::abs(s))) break;
    (f > 0.0 ? hi : lo) = s;
    const double next = s - f / (1.0 + v * p * (1.0 - p));
    s = (next > lo && next < hi) ? next : 0.5 * (lo + hi);
  }
  return s;
}

// 2^hash_bits, after checking the arguments.
std::size_t bucket_count(int hash_bits, double prior_variance) {
  if (hash_bits < 1 || hash_bits > 30)
    throw std::invalid_argument("logistic_laplace: hash_bits must be in [1, 30]");
  if (!(prior_variance > 0.0))
    throw std::invalid_argument("logistic_laplace: prior_variance must be positive");
  return std::size_t{1} << hash_bits;
}

}  // namespace

LogisticLaplace::LogisticLaplace(int hash_bits, double prior_variance,
                                 const PredictorContext& context)
    : Predictor(context.task, context.features.reference_slot),
      mask_(static_cast<std::uint32_t>(bucket_count(hash_bits, prior_variance) - 1)),
      prior_precision_(1.0 / prior_variance),
      weights_(mask_ + std::size_t{1}, Weight{0.0, prior_precision_}),
      impressions_(context.offers.size(), 0.0) {
  for (std::uint32_t offer = 0; offer < context.offers.size(); ++offer) {
    const OfferHashes h = hashes_of(offer);
    OfferTable t{static_cast<std::uint32_t>(h.offer) & mask_, {}, {}};
    for (std::uint64_t d = 0; d < kTabledDevices; ++d)
      t.device[d] = static_cast<std::uint32_t>(splitmix64(h.offer_device ^ d)) & mask_;
    for (std::uint64_t r = 0; r < kTabledRegions; ++r)
      t.region[r] = static_cast<std::uint32_t>(splitmix64(h.offer_region ^ r)) & mask_;
    offer_tables_.push_back(t);
  }
}

void LogisticLaplace::do_reset() {
  std::fill(weights_.begin(), weights_.end(), Weight{0.0, prior_precision_});
  std::fill(impressions_.begin(), impressions_.end(), 0.0);
}

LogisticLaplace::OfferHashes LogisticLaplace::hashes_of(std::uint32_t offer) {
  return {splitmix64(splitmix64(kOffer) ^ offer), splitmix64(splitmix64(kOfferDevice) ^ offer),
          splitmix64(splitmix64(kOfferRegion) ^ offer)};
}

std::uint32_t LogisticLaplace::offer_bucket(std::uint32_t offer) const {
  return static_cast<std::uint32_t>(hashes_of(offer).offer) & mask_;
}

LogisticLaplace::ContextBuckets LogisticLaplace::context_buckets(const RequestFeatures& r) const {
  const auto bucket = [&](FeatureKind kind, std::uint64_t value) {
    return static_cast<std::uint32_t>(splitmix64(splitmix64(kind) ^ value)) & mask_;
  };
  return {bucket(kBias, 0),
          bucket(kDevice, r.device),
          bucket(kRegion, r.region),
          bucket(kAgeBand, r.age_band),
          bucket(kReturning, r.returning ? 1 : 0),
          bucket(kPartner, r.partner)};
}

LogisticLaplace::OfferBuckets LogisticLaplace::offer_buckets(const RequestFeatures& r,
                                                             std::uint32_t offer) const {
  const auto bucket = [&](std::uint64_t hash) { return static_cast<std::uint32_t>(hash) & mask_; };
  if (offer < offer_tables_.size() && r.device < kTabledDevices && r.region < kTabledRegions) {
    const OfferTable& t = offer_tables_[offer];
    return {t.offer, t.device[r.device], t.region[r.region]};
  }
  const OfferHashes h = hashes_of(offer);
  return {bucket(h.offer), bucket(splitmix64(h.offer_device ^ r.device)),
          bucket(splitmix64(h.offer_region ^ r.region))};
}

void LogisticLaplace::Active::add(std::uint32_t b) {
  for (int i = 0; i < size; ++i)
    if (bucket[i] == b) {
      x[i] += 1.0;
      return;
    }
  bucket[size] = b;
  x[size++] = 1.0;
}

LogisticLaplace::Active LogisticLaplace::context_active(const RequestFeatures& request) const {
  Active a;
  for (std::uint32_t b : context_buckets(request)) a.add(b);
  return a;
}

LogisticLaplace::Active LogisticLaplace::merged(const Active& context, const OfferBuckets& own) {
  Active a = context;
  for (std::uint32_t b : own) a.add(b);
  return a;
}

void LogisticLaplace::add_sums(const Active& a, double& mu, double& variance) const {
  for (int i = 0; i < a.size; ++i) {
    mu += a.x[i] * weights_[a.bucket[i]].mean;
    variance += a.x[i] * a.x[i] / weights_[a.bucket[i]].precision;
  }
}

void LogisticLaplace::do_predict(const RequestFeatures& request,
                                 std::span<const std::uint32_t> offers, int,
                                 std::span<double> out) const {
  const Active context = context_active(request);
  // The context's share of every offer's sums, added first as in the full sums: an offer whose
  // buckets are all new (the usual case) then adds only its own three terms.
  double context_mu = 0.0, context_variance = 0.0;
  add_sums(context, context_mu, context_variance);
  const auto new_to = [](const Active& a, std::uint32_t b) {
    for (int i = 0; i < a.size; ++i)
      if (a.bucket[i] == b) return false;
    return true;
  };
  for (std::size_t j = 0; j < offers.size(); ++j) {
    const OfferBuckets own = offer_buckets(request, offers[j]);
    double mu = context_mu, variance = context_variance;
    if (own[0] != own[1] && own[0] != own[2] && own[1] != own[2] && new_to(context, own[0]) &&
        new_to(context, own[1]) && new_to(context, own[2])) {
      for (std::uint32_t b : own) {
        mu += weights_[b].mean;
        variance += 1.0 / weights_[b].precision;
      }
    } else {
      mu = 0.0, variance = 0.0;
      add_sums(merged(context, own), mu, variance);
    }
    out[j] = sigmoid(mu / std::sqrt(1.0 + std::numbers::pi * variance / 8.0));
  }
}

void LogisticLaplace::do_train(std::span<const Example> batch) {
  for (const Example& e : batch) learn_one(e.request, e.offer, e.label(task()), e.weight);
}

void LogisticLaplace::learn_one(const RequestFeatures& request, std::uint32_t offer, bool label,
                                double weight) {
  const Active a = merged(context_active(request), offer_buckets(request, offer));
  double mu = 0.0, variance = 0.0;
  add_sums(a, mu, variance);
  const double y = label ? 1.0 : 0.0;
  // A weight w raises the example's likelihood to the power w.
  const double p = sigmoid(map_logit(mu, weight * variance, y));
  for (int i = 0; i < a.size; ++i) {
    const std::uint32_t b = a.bucket[i];
    weights_[b].mean -= weight * (p - y) * a.x[i] / weights_[b].precision;
    weights_[b].precision += weight * p * (1.0 - p) * a.x[i] * a.x[i];
  }
  impressions_[offer] += 1.0;
}

void LogisticLaplace::do_sample(const RequestFeatures& request,
                                std::span<const std::uint32_t> offers, RngStream& rng,
                                std::span<double> out) const {
  // The call's key: two words of the caller's stream, the first the high word (two statements:
  // the operands of | are unsequenced). Bucket b's weight is drawn from the stream
  // MixStream(key, b) by the ziggurat (almost always one SplitMix64 output), so every offer that
  // uses b sees the same weight.
  const std::uint64_t high = rng();
  const std::uint64_t key = (high << 32) | rng();
  const auto weight = [&](std::uint32_t bucket) {
    MixStream stream(key, bucket);
    return weights_[bucket].mean + ziggurat_normal(stream) / std::sqrt(weights_[bucket].precision);
  };
  double context_logit = 0.0;
  for (std::uint32_t b : context_buckets(request)) context_logit += weight(b);
  for (std::size_t j = 0; j < offers.size(); ++j) {
    double logit = context_logit;
    for (std::uint32_t b : offer_buckets(request, offers[j])) logit += weight(b);
    out[j] = sigmoid(logit);
  }
}

void LogisticLaplace::do_evidence(const RequestFeatures&, std::span<const std::uint32_t> offers,
                                  std::span<double> out) const {
  for (std::size_t i = 0; i < offers.size(); ++i) out[i] = impressions_[offers[i]];
}

double LogisticLaplace::posterior_bytes(int hash_bits) {
  return std::ldexp(static_cast<double>(sizeof(Weight)), hash_bits);
}

void register_logistic_laplace(PredictorRegistry& registry) {
  registry.add(
      {"logistic_laplace",
       "online Bayesian logistic regression on hashed offer, offer x device, offer x region and "
       "user/partner features, diagonal Laplace posterior (Chapelle & Li 2011); per-context "
       "Thompson sampling",
       {ParamSpec::integer("hash_bits", 18, 4, 26, "log2 of the number of feature buckets"),
        ParamSpec::real("prior_variance", 1.0, 1e-6, 1e6, "prior variance of each weight")}},
      [](const ParamValues& p, const PredictorContext& context) {
        return std::make_unique<LogisticLaplace>(static_cast<int>(p.get_int("hash_bits")),
                                                 p.get_real("prior_variance"), context);
      },
      [](const ParamValues& p, const PredictorContext&) {
        return Footprint{LogisticLaplace::posterior_bytes(static_cast<int>(p.get_int("hash_bits"))),
                         0, kCpuSecondsPerPrediction};
      });
}

}  // namespace marketsim
