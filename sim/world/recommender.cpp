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
      predictor_registry().create(
          role.model.type, role.model.params,
          PredictorContext{task, context.offer_features, role.features, context.key, id}),
      role.stage, context.key, id, importance_every);
}

}  // namespace

Recommender::Recommender(const RecommenderSpec& recommender, const RecommenderContext& context)
    : spec(recommender),
      candidates(candidate_generator_registry().create(
          spec.candidates.type, spec.candidates.params,
          CandidateContext{context.market->offers.size(), context.users, context.market->latent_dim,
                           context.regions, context.offer_features, context.key})),
      ranker(make_stage(spec.ranker, Task::kClick, context, "models.ranker",
                        context.importance_every)),
      conversion_model(make_stage(spec.conversion_model, Task::kConversion, context,
                                  "models.conversion_model", context.importance_every)),
      user_value_model(
          make_stage(spec.user_value_model, Task::kReturn, context, "models.user_value_model", 0)),
      stages{ranker.get(), conversion_model.get(), user_value_model.get()},
      active_count(spec.objective.user_value_weight > 0 ? 3 : 2),
      explorer(explorer_registry().create(spec.explorer.type, spec.explorer.params)),
      auction(auction_registry().create(spec.auction.type, spec.auction.params)),
      reserve(reserve_policy_registry().create(
          spec.reserve.type, spec.reserve.params,
          ReserveContext(std::vector<double>(context.partner_reserves.begin(),
                                             context.partner_reserves.end())))),
      pacer(pacer_registry().create(spec.pacer.type, spec.pacer.params,
                                    context.market->advertisers.size())),
      bidder(bidder_registry().create(spec.bidder.type, spec.bidder.params,
                                      context.market->advertisers.size())) {
  for (const ModelStage* stage : active_stages()) {
    needed_tasks |= stage->trained_tasks();
    unclicked_conversions |= stage->learns_unclicked_conversions();
  }
}

}  // namespace marketsim
