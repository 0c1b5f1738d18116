// CheapModel: bid x pCTR from an owned, online-trained CTR model.
#include "policies/candidates/cheap_model.h"

#include <algorithm>
#include <span>
#include <stdexcept>

#include "models/oracle.h"

namespace marketsim {

CheapModel::CheapModel(int k, std::unique_ptr<Predictor> model, const CandidateContext& context)
    : model_(std::move(model)), top_(context.offers, k) {
  if (!model_->trains_online())
    throw std::invalid_argument(
        "cheap_model: the model must learn online (not a batch-only model)");
  ads_.reserve(context.offers);
  pctr_.reserve(context.offers);
}

void CheapModel::learn(const Request& request, std::uint32_t offer, int slot, bool clicked) {
  model_->learn(request.features, offer, slot, clicked);
}

void CheapModel::do_generate(const Request& request, const MarketView& market,
                             std::vector<std::uint32_t>& out) {
  ads_.clear();
  scan_eligible(request, market, out, [&](const Offer& offer) { ads_.push_back(offer.id); });
  pctr_.resize(ads_.size());
  model_->predict(request.features, ads_, pctr_);
  top_.clear();
  for (std::size_t i = 0; i < ads_.size(); ++i) {
    const double bid = market.offers[ads_[i]].bid;
    top_.add(ads_[i], bid * pctr_[i], bid);
  }
  top_.append_best(out);
}

namespace {

// The CTR model a cheap_model generator builds: the registered model `model` with its default
// parameters and features, for clicks.
struct InnerModel {
  std::string name;
  ParamValues params;
  PredictorContext context;
};

InnerModel inner_model(const ParamValues& p, const CandidateContext& context) {
  const std::string& name = p.get_string("model");
  const auto infos = predictor_registry().components();
  const auto info = std::find_if(infos.begin(), infos.end(),
                                 [&](const ComponentInfo& c) { return c.name == name; });
  return {name, info == infos.end() ? ParamValues{} : defaults_of(info->params),
          PredictorContext{Task::kClick, context.offer_features,
                           FeatureSpec::from(defaults_of(FeatureSpec::declare())), context.key,
                           component_id("candidates.cheap_model")}};
}

}  // namespace

void register_cheap_model(CandidateGeneratorRegistry& registry) {
  std::vector<std::string> models = predictor_registry().names();
  // The candidate stage sees no truth: the truth-aware model cannot serve there.
  std::erase(models, std::string(kOracleModel));
  registry.add(
      {"cheap_model",
       "a cheap CTR model trained on the run's logs: the k ads with the highest bid x pCTR",
       {k_param(), ParamSpec::choice("model", "beta", models,
                                     "the CTR model (built with its default parameters)")}},
      [](const ParamValues& p, const CandidateContext& context) {
        const InnerModel inner = inner_model(p, context);
        return std::make_unique<CheapModel>(
            static_cast<int>(p.get_int("k")),
            predictor_registry().create(inner.name, inner.params, inner.context), context);
      },
      [](const ParamValues& p, const CandidateContext& context) {
        const InnerModel inner = inner_model(p, context);
        return predictor_registry().footprint(inner.name, inner.params, inner.context);
      });
}

}  // namespace marketsim
