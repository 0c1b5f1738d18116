// Recommender: builds each stage of one recommender configuration from its registry.
#include "sim/world/recommender.h"

#include <vector>

namespace marketsim {
namespace {

// Builds the model of one role for `task`, inside its stage.
std::unique_ptr<ModelStage> make_stage(const ModelRoleSpec& role, Task task,
                                       const RecommenderContext& context, const char* stream,
                                       std::int64_t importance_every) {
  const std::uint32_t id = component_id(stream);
  return std::make_unique<ModelStage>(
      predictor_registry().create(role.model.type, role.model.params,
                                  PredictorContext{task, context.offer_features, role.features,
                                                   context.key, id, context.truth}),
      role.stage, context.key, id, importance_every);
}

}  // namespace

template <typename T, typename Make>
std::shared_ptr<T> RecommenderBuilder::shared(RecommenderComponent k, std::uint32_t id, Make make) {
  const auto key = std::make_pair(static_cast<std::size_t>(k), id);
  const auto it = built_.find(key);
  if (it != built_.end()) return std::static_pointer_cast<T>(it->second);
  std::shared_ptr<T> made(make());
  built_.emplace(key, made);
  return made;
}

std::unique_ptr<Recommender> RecommenderBuilder::build(const RecommenderSpec& spec,
                                                       const ComponentInstances& instances) {
  using C = RecommenderComponent;
  const auto id = [&](C k) { return instances[static_cast<std::size_t>(k)]; };
  const RecommenderContext& c = context_;
  auto r = std::make_unique<Recommender>();
  r->spec = spec;
  r->candidates = shared<CandidateGenerator>(C::kCandidates, id(C::kCandidates), [&] {
    return candidate_generator_registry().create(
        spec.candidates.type, spec.candidates.params,
        CandidateContext{c.market->offers.size(), c.users, c.market->latent_dim, c.regions,
                         c.offer_features, c.key});
  });
  r->ranker = shared<ModelStage>(C::kRanker, id(C::kRanker), [&] {
    return make_stage(spec.ranker, Task::kClick, c, "models.ranker", c.importance_every);
  });
  r->conversion_model = shared<ModelStage>(C::kConversionModel, id(C::kConversionModel), [&] {
    return make_stage(spec.conversion_model, Task::kConversion, c, "models.conversion_model",
                      c.importance_every);
  });
  r->user_value_model = shared<ModelStage>(C::kUserValueModel, id(C::kUserValueModel), [&] {
    return make_stage(spec.user_value_model, Task::kReturn, c, "models.user_value_model", 0);
  });
  r->stages = {r->ranker.get(), r->conversion_model.get(), r->user_value_model.get()};
  r->active_count = spec.objective.user_value_weight > 0 ? 3 : 2;
  const std::uint8_t immediate = task_bit(Task::kClick) | task_bit(Task::kReturn);
  for (const ModelStage* stage : r->active_stages()) {
    r->needed_tasks |= stage->trained_tasks();
    r->unclicked_conversions |= stage->learns_unclicked_conversions();
    r->learns_click_labels |= stage->learns() && ((stage->trained_tasks() & immediate) != 0 ||
                                                  stage->learns_unclicked_conversions());
  }
  r->explorer = shared<Explorer>(C::kExplorer, id(C::kExplorer), [&] {
    return explorer_registry().create(spec.explorer.type, spec.explorer.params);
  });
  r->auction = shared<Auction>(C::kAuction, id(C::kAuction), [&] {
    return auction_registry().create(spec.auction.type, spec.auction.params);
  });
  r->reserve = shared<ReservePolicy>(C::kReserve, id(C::kReserve), [&] {
    return reserve_policy_registry().create(
        spec.reserve.type, spec.reserve.params,
        ReserveContext(std::vector<double>(c.partner_reserves.begin(), c.partner_reserves.end())));
  });
  r->pacer = shared<Pacer>(C::kPacer, id(C::kPacer), [&] {
    return pacer_registry().create(spec.pacer.type, spec.pacer.params,
                                   c.market->advertisers.size());
  });
  r->bidder = shared<Bidder>(C::kBidder, id(C::kBidder), [&] {
    return bidder_registry().create(spec.bidder.type, spec.bidder.params,
                                    c.market->advertisers.size());
  });
  return r;
}

}  // namespace marketsim
