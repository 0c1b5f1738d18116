// ModelCost: what the models and candidate generators of one world will cost, from its spec alone.
#pragma once

#include <string>

#include "sim/world/world_spec.h"

namespace marketsim {

// The memory and CPU time of one world's learned components, for the resource estimate.
struct ModelCost {
  double bytes = 0;         // held while the world runs
  double cpu_seconds = 0;   // beyond the per-transaction rate: the networks, the hashed learners
  std::string largest_key;  // recommender.<stage>.type of the component holding the most bytes
  // The recommender it belongs to: below the arm combinations' count, that combination (0: the
  // cell's own recommender); beyond, off-policy target largest_recommender - combinations.
  std::size_t largest_recommender = 0;
};

// Floating-point rates of the networks on one core of the development machine (portable build;
// bench/nn_throughput, batches of 20: DCN-V2, MMoE and ESMM predict at 26-30 GFLOP/s and train at
// 6-7.5 GFLOP/s, counted as forward flops per example).
inline constexpr double kPredictionFlopsPerCpuSecond = 25e9;
inline constexpr double kTrainingFlopsPerCpuSecond = 6e9;

// The cost of one world of `spec` with `transactions` expected, its components built as the world
// builds them: the candidate generator and three model roles of every recommender (the cell's and
// an experiment's arm combinations, which share a component when they share its instance) and of
// each off-policy target (its own).
//
// Memory: what each component's registration declares it holds (Registry::footprint: a network's
// parameters and optimizer state, a hashed model's buckets, collaborative filtering's counts, ann's
// user embeddings, cheap_model's inner model), and for each role the objective uses, with a batch
// schedule its window of examples (every impression of max(window_h, warm_up_h) + retrain_every_h,
// at most max_window_examples, each kept with its time and copied once more by a retrain) and with
// a calibrator its (time, prediction, label) pairs of window_h + refit_every_h. Every impression is
// an upper bound for a role that learns on clicks only.
//
// CPU: the arithmetic of the components that declare flops (the networks, and cheap_model over
// one): each role the objective uses predicts every candidate of the requests it scores and the
// shown slots of every request, and learns every impression when it learns clicks or conversions
// on every impression (one that learns on clicks only is left out: a few per cent of them), online,
// or in batch every retrain over the impressions of its window so far, epochs times (and online
// before warm_up_h); a cheap_model generator predicts every allowed ad and learns every
// impression. A component that declares CPU seconds per prediction (the hashed learners ftrl and
// logistic_laplace) adds them for the same predictions, its training included; one that declares
// them per call, per fit in force and per fitted example (gbdt) adds a call for each request's
// candidates and one for its shown slots, its retrains' trees for the time they serve, and its
// retrains' work, with the matrices of its largest retrain and its trees in memory. The busiest
// recommender counts for all the world's traffic; an off-policy target scores the logged requests.
ModelCost model_cost(const WorldSpec& spec, double transactions);

// Candidates per request of recommender `r`: every creative the partners allow and their own
// offers, or the candidate generator's k ads when it has one and those.
double candidates_per_request(const WorldSpec& spec, const RecommenderSpec& r);

}  // namespace marketsim
