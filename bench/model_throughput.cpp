// Throughput of every registered model (predictor_registry()) that learns, built with its declared
// defaults on the default feature pipeline, on one thread: candidates scored and training rows per
// CPU second. The truth-aware oracle is left out: it learns nothing and predicts only inside a
// world, from its truth.
// Prints one JSON object per model:
//   {"bench": "model", "model": M, "task": "click", "offers": 1000, "columns": C, "hash_bits": H,
//    "params": {the declared defaults}, "candidates_per_call": 20,
//    "predict_candidates_per_cpu_s": .., ["forward_flops_per_example": .., "predict_gflops": ..,]
//    "training": "online" | "fit", "batch": B, "train_rows_per_cpu_s": ..,
//    ["train_rows_per_cpu_s_batch1": ..,] "load": L}
// Networks add their forward FLOPs and the GFLOP/s of predict() (feature encoding included).
// Online models train with train() on mini-batches of 32 and of 1; batch-only models
// (trains_online() false) with fit() from scratch on a window of FIT_ROWS examples. Every model is
// trained (one pass, or its timed fits) before its predictions are timed. Each figure is the
// fastest of 5 runs of SECONDS_PER_RUN CPU seconds (fits: of 2 fits after a warm-up one); "load"
// is the 1-minute load average.
//
// Usage: marketsim_bench_models [SECONDS_PER_RUN [FIT_ROWS]]   (defaults 0.2 and 100 000)
#include <algorithm>
#include <array>
#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "models/neural_model.h"
#include "models/oracle.h"
#include "models/predictor.h"
#include "models/sigmoid.h"

namespace {

using namespace marketsim;

constexpr std::size_t kOffers = 1000;
constexpr std::size_t kCandidates = 20;    // offers scored per predict() call
constexpr std::size_t kRequests = 256;     // candidate sets that predict() cycles through
constexpr std::size_t kOnlineRows = 8192;  // examples that train() cycles through
constexpr int kOnlineBatch = 32;
constexpr int kCategories = 20;
constexpr int kVerticals = 5;
constexpr int kSlots = 3;
constexpr int kFitRuns = 2;

// ---------------------------------------------------------------------------------------------
// Synthetic market: a catalog and a logistic truth of clicks and conversions.
// ---------------------------------------------------------------------------------------------

// `offers` catalog entries (offer i: product i, advertiser i / 2, category i % 20, creative type
// i % 3, layout i % 2, message i % 4) and the true click and conversion-given-click
// probabilities of an offer shown in a slot for a request: logistic in an offer effect, a device
// effect, a category x vertical affinity, a cart match, the slot and the returning flag.
class SyntheticMarket {
 public:
  SyntheticMarket(std::size_t offers, RngStream& rng) {
    boost::random::normal_distribution<double> effect(0.0, 1.0);
    for (std::size_t i = 0; i < offers; ++i) {
      offers_.push_back(OfferFeatures{
          static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i / 2),
          static_cast<std::uint16_t>(i % kCategories), static_cast<std::uint8_t>(i % 3),
          static_cast<std::uint8_t>(i % 2), static_cast<std::uint8_t>(i % 4), 0});
      click_effect_.push_back(0.7 * effect(rng));
      conversion_effect_.push_back(0.5 * effect(rng));
    }
    for (double& d : device_effect_) d = 0.3 * effect(rng);
    for (double& a : affinity_) a = 0.5 * effect(rng);
  }

  const std::vector<OfferFeatures>& offers() const { return offers_; }

  // A request of uniformly random observable features.
  RequestFeatures request(RngStream& rng) const {
    const auto draw = [&rng](std::uint32_t n) {
      return boost::random::uniform_int_distribution<std::uint32_t>(0, n - 1)(rng);
    };
    RequestFeatures r;
    r.device = static_cast<std::uint8_t>(draw(static_cast<std::uint32_t>(device_effect_.size())));
    r.region = static_cast<std::uint8_t>(draw(10));
    r.age_band = static_cast<std::uint8_t>(draw(6));
    r.returning = draw(2) == 1;
    r.partner = draw(20);
    r.vertical = static_cast<std::uint8_t>(draw(kVerticals));
    r.cart_category = static_cast<std::uint16_t>(draw(kCategories));
    r.user = draw(1'000'000);
    return r;
  }

  // A uniformly random offer id.
  std::uint32_t offer(RngStream& rng) const {
    return boost::random::uniform_int_distribution<std::uint32_t>(
        0, static_cast<std::uint32_t>(offers_.size() - 1))(rng);
  }

  // One impression at a random slot with both labels drawn from the truth (the conversion label
  // is known on every impression: converted = clicked and converted given the click).
  Example example(std::uint64_t transaction, RngStream& rng) const {
    Example e;
    e.transaction = transaction;
    e.request = request(rng);
    e.offer = offer(rng);
    e.slot =
        static_cast<std::uint8_t>(boost::random::uniform_int_distribution<int>(0, kSlots - 1)(rng));
    e.clicked = boost::random::bernoulli_distribution<double>(sigmoid(click_logit(e)))(rng);
    const double conversion = sigmoid(-2.0 + conversion_effect_[e.offer]);
    e.set(Task::kClick, e.clicked);
    e.set(Task::kConversion,
          e.clicked && boost::random::bernoulli_distribution<double>(conversion)(rng));
    return e;
  }

 private:
  double click_logit(const Example& e) const {
    const OfferFeatures& o = offers_[e.offer];
    return -3.0 + click_effect_[e.offer] + device_effect_[e.request.device] +
           affinity_[o.category * kVerticals + e.request.vertical] +
           (o.category == e.request.cart_category ? 0.8 : 0.0) - 0.4 * e.slot +
           (e.request.returning ? 0.2 : 0.0);
  }

  std::vector<OfferFeatures> offers_;
  std::vector<double> click_effect_, conversion_effect_;
  std::array<double, 4> device_effect_{};
  std::array<double, kCategories * kVerticals> affinity_{};
};

// One predict() call's input: a request and its candidates.
struct CandidateSet {
  RequestFeatures request;
  std::array<std::uint32_t, kCandidates> offers;
};

// What every model is timed on.
struct Workload {
  std::vector<CandidateSet> requests;  // kRequests candidate sets
  std::vector<Example> examples;       // max(kOnlineRows, fit_rows) labelled impressions
  std::size_t fit_rows = 0;            // the window of fit(): the first fit_rows examples
};

Workload make_workload(const SyntheticMarket& market, std::size_t fit_rows, RngStream& rng) {
  Workload w;
  w.fit_rows = fit_rows;
  for (std::size_t i = 0; i < kRequests; ++i) {
    CandidateSet c{market.request(rng), {}};
    for (std::uint32_t& o : c.offers) o = market.offer(rng);
    w.requests.push_back(c);
  }
  for (std::size_t i = 0; i < std::max(kOnlineRows, fit_rows); ++i)
    w.examples.push_back(market.example(i, rng));
  return w;
}

// ---------------------------------------------------------------------------------------------
// Timing and output.
// ---------------------------------------------------------------------------------------------

// Candidates scored per CPU second by predict() on the candidate sets in turn.
double candidates_per_cpu_second(const Predictor& model, const Workload& w, double seconds) {
  std::array<double, kCandidates> out{};
  std::size_t next = 0;
  const auto call = [&] {
    const CandidateSet& c = w.requests[next++ % w.requests.size()];
    model.predict(c.request, c.offers, out);
  };
  return kCandidates * bench::calls_per_cpu_second(call, seconds);
}

// Training rows per CPU second of train() on consecutive mini-batches of `batch` online examples.
double online_rows_per_cpu_second(Predictor& model, const Workload& w, int batch, double seconds) {
  const std::span<const Example> pool(w.examples.data(), kOnlineRows);
  const auto size = static_cast<std::size_t>(batch);
  std::size_t next = 0;
  const auto call = [&] {
    model.train(pool.subspan(next, size));
    next = next + 2 * size > pool.size() ? 0 : next + size;
  };
  return size * bench::calls_per_cpu_second(call, seconds);
}

// Training rows per CPU second of fit() from scratch on the window.
double fit_rows_per_cpu_second(Predictor& model, const Workload& w, RngStream& rng) {
  const std::span<const Example> window(w.examples.data(), w.fit_rows);
  const FitOptions cold{false, 1, kOnlineBatch};
  return static_cast<double>(w.fit_rows) *
         bench::calls_per_cpu_second([&] { model.fit(window, cold, rng); }, 0, kFitRuns);
}

// One pass of train() over the online examples: what an online model has learned when serving
// starts.
void train_one_pass(Predictor& model, const Workload& w) {
  for (std::size_t start = 0; start < kOnlineRows; start += kOnlineBatch)
    model.train({w.examples.data() + start, kOnlineBatch});
}

// `v` with `decimals` digits after the point.
std::string number(double v, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, v);
  return text;
}

// The declared defaults as a JSON object (TOML scalars of the defaults are valid JSON).
std::string params_json(const ParamValues& params) {
  std::string json;
  for (const auto& [key, entry] : params.entries())
    json += (json.empty() ? "{\"" : ", \"") + key + "\": " + format_value(entry.value);
  return json.empty() ? "{}" : json + "}";
}

// Times one model and prints its line.
void bench_model(const ComponentInfo& info, const PredictorContext& context, const Workload& w,
                 double seconds) {
  RngStream rng(context.key, "bench.models.fit", context.stream);
  const ParamValues params = defaults_of(info.params);
  const std::unique_ptr<Predictor> model = predictor_registry().create(info.name, params, context);
  // Trained before serving: an online model by one pass, a batch-only one by its timed fits.
  const bool online = model->trains_online();
  double fit_rate = 0;
  if (online)
    train_one_pass(*model, w);
  else
    fit_rate = fit_rows_per_cpu_second(*model, w, rng);

  const double candidates = candidates_per_cpu_second(*model, w, seconds);

  std::string line = "{\"bench\": \"model\", \"model\": \"" + info.name + "\", \"task\": \"" +
                     task_name(context.task) +
                     "\", \"offers\": " + std::to_string(context.offers.size()) +
                     ", \"columns\": " + std::to_string(context.features.columns.size()) +
                     ", \"hash_bits\": " + std::to_string(context.features.hash_bits) +
                     ", \"params\": " + params_json(params) +
                     ", \"candidates_per_call\": " + std::to_string(kCandidates) +
                     ", \"predict_candidates_per_cpu_s\": " + number(candidates, 0);
  if (const auto* net = dynamic_cast<const NeuralModel*>(model->feature_model())) {
    const double flops = net->network().forward_flops_per_example();
    line += ", \"forward_flops_per_example\": " + number(flops, 0) +
            ", \"predict_gflops\": " + number(candidates * flops * 1e-9, 3);
  }
  if (online) {
    line += ", \"training\": \"online\", \"batch\": " + std::to_string(kOnlineBatch) +
            ", \"train_rows_per_cpu_s\": " +
            number(online_rows_per_cpu_second(*model, w, kOnlineBatch, seconds), 0) +
            ", \"train_rows_per_cpu_s_batch1\": " +
            number(online_rows_per_cpu_second(*model, w, 1, seconds), 0);
  } else {
    line += ", \"training\": \"fit\", \"batch\": " + std::to_string(w.fit_rows) +
            ", \"train_rows_per_cpu_s\": " + number(fit_rate, 0);
  }
  std::printf("%s, \"load\": %.2f}\n", line.c_str(), bench::load_average());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 0.2;
  const std::size_t fit_rows = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 100'000;
  RngStream rng(ReplicationKey{1, 0}, "bench.models", 0);
  const SyntheticMarket market(kOffers, rng);
  const Workload workload = make_workload(market, fit_rows, rng);
  const PredictorContext context{Task::kClick, market.offers(),
                                 FeatureSpec::from(defaults_of(FeatureSpec::declare())),
                                 ReplicationKey{1, 0}, 1};
  for (const ComponentInfo& info : predictor_registry().components())
    if (info.name != kOracleModel) bench_model(info, context, workload, seconds);
  return 0;
}
