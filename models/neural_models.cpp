// The registered networks: "fm", "dcn_v2", "mmoe" and "esmm", with their declared parameters.
#include <stdexcept>

#include "models/neural_model.h"
#include "models/nn/dcn_v2.h"
#include "models/nn/esmm.h"
#include "models/nn/factorization_machine.h"
#include "models/nn/mmoe.h"

namespace marketsim {
namespace {

// Parameters every network declares, followed by its own.
std::vector<ParamSpec> with_common(int embedding_dim, std::vector<ParamSpec> own) {
  std::vector<ParamSpec> specs = {
      ParamSpec::integer("embedding_dim", embedding_dim, 1, 256,
                         "embedding size of each feature column"),
      ParamSpec::choice("optimizer", "adam", {"sgd", "adagrad", "adam"}, "the optimizer"),
      ParamSpec::real("learning_rate", 1e-3, 1e-7, 10, "step size"),
      ParamSpec::real("l2", 0, 0, 1e3, "L2 weight decay (on the rows a batch touches)"),
      ParamSpec::real("prior_click_rate", 0.05, 1e-6, 0.999,
                      "click probability the untrained model predicts (initial output bias)"),
      ParamSpec::real("prior_conversion_rate", 0.1, 1e-6, 0.999,
                      "conversion probability (given a click) the untrained model predicts"),
      ParamSpec::real("prior_return_rate", 0.2, 1e-6, 0.999,
                      "return probability (given a click) the untrained model predicts"),
  };
  for (ParamSpec& s : own) specs.push_back(std::move(s));
  return specs;
}

nn::OptimizerConfig optimizer_of(const ParamValues& p) {
  nn::OptimizerConfig c;
  const std::string& kind = p.get_string("optimizer");
  c.kind = kind == "sgd"       ? nn::OptimizerKind::kSgd
           : kind == "adagrad" ? nn::OptimizerKind::kAdagrad
                               : nn::OptimizerKind::kAdam;
  c.learning_rate = p.get_real("learning_rate");
  c.l2 = p.get_real("l2");
  return c;
}

// The seed of a model's initial weights: its replication and its stream.
std::uint64_t seed_of(const PredictorContext& c) {
  return c.key.seed * 0x9e3779b97f4a7c15ull ^ (c.key.replication << 32) ^ c.stream;
}

std::size_t buckets_of(const PredictorContext& c) { return std::size_t{1} << c.features.hash_bits; }

int fields_of(const PredictorContext& c) { return static_cast<int>(c.features.columns.size()); }

// The declared prior probability of `task`.
double prior_of(const ParamValues& p, Task task) {
  return p.get_real(task == Task::kClick        ? "prior_click_rate"
                    : task == Task::kConversion ? "prior_conversion_rate"
                                                : "prior_return_rate");
}

// The configuration each network is built from: its own parameters and the role's features.
nn::FmConfig fm_config(const ParamValues& p, const PredictorContext& c) {
  return {fields_of(c), static_cast<int>(p.get_int("embedding_dim")), buckets_of(c), 0.01,
          optimizer_of(p)};
}

nn::DcnV2Config dcn_v2_config(const ParamValues& p, const PredictorContext& c) {
  nn::DcnV2Config config;
  config.fields = fields_of(c);
  config.embedding_dim = static_cast<int>(p.get_int("embedding_dim"));
  config.cross_layers = static_cast<int>(p.get_int("cross_layers"));
  config.parallel = p.get_string("structure") == "parallel";
  config.deep_units.assign(static_cast<std::size_t>(p.get_int("deep_layers")),
                           static_cast<int>(p.get_int("deep_units")));
  config.buckets = buckets_of(c);
  config.optimizer = optimizer_of(p);
  return config;
}

nn::MmoeConfig mmoe_config(const ParamValues& p, const PredictorContext& c) {
  nn::MmoeConfig config;
  config.fields = fields_of(c);
  config.embedding_dim = static_cast<int>(p.get_int("embedding_dim"));
  config.experts = static_cast<int>(p.get_int("experts"));
  config.expert_units = static_cast<int>(p.get_int("expert_units"));
  config.tower_units = static_cast<int>(p.get_int("tower_units"));
  config.task_weights = {p.get_real("click_weight"), p.get_real("conversion_weight"),
                         p.get_real("return_weight")};
  config.buckets = buckets_of(c);
  config.optimizer = optimizer_of(p);
  return config;
}

nn::EsmmConfig esmm_config(const ParamValues& p, const PredictorContext& c) {
  nn::EsmmConfig config;
  config.fields = fields_of(c);
  config.embedding_dim = static_cast<int>(p.get_int("embedding_dim"));
  const std::vector<int> tower(static_cast<std::size_t>(p.get_int("tower_layers")),
                               static_cast<int>(p.get_int("tower_units")));
  config.ctr_units = tower;
  config.cvr_units = tower;
  config.ctr_weight = p.get_real("ctr_weight");
  config.ctcvr_weight = p.get_real("ctcvr_weight");
  config.buckets = buckets_of(c);
  config.optimizer = optimizer_of(p);
  return config;
}

// The footprint of a network built from `config`: its parameters and optimizer state, and its
// forward pass.
template <class Config>
Footprint network_footprint(const Config& config) {
  const nn::StateSize size = nn::state_size(config);
  return {size.bytes(config.buckets, config.optimizer.kind, sizeof(float)), size.flops};
}

// A single-output network serving task() and learning its label.
std::unique_ptr<Predictor> single_task(std::unique_ptr<nn::Network<float>> network,
                                       const ParamValues& p, const PredictorContext& c) {
  return std::make_unique<NeuralModel>(
      std::move(network), 0,
      std::vector<OutputTarget>{{c.task, c.task != Task::kClick, true, prior_of(p, c.task)}},
      seed_of(c), c);
}

void register_fm(PredictorRegistry& registry) {
  registry.add(
      {"fm",
       "factorization machine (Rendle 2010) on the role's hashed feature columns: "
       "linear terms plus all pairwise interactions through k factors",
       with_common(8, {})},
      [](const ParamValues& p, const PredictorContext& c) {
        return single_task(
            std::make_unique<nn::FactorizationMachine<float>>(fm_config(p, c), seed_of(c)), p, c);
      },
      [](const ParamValues& p, const PredictorContext& c) {
        return network_footprint(fm_config(p, c));
      });
}

void register_dcn_v2(PredictorRegistry& registry) {
  registry.add(
      {"dcn_v2",
       "DCN-V2 (Wang et al. 2021): embeddings of the role's feature columns, full-rank cross "
       "layers x0 * (W x + b) + x and a ReLU deep part, stacked or parallel",
       with_common(8,
                   {ParamSpec::integer("cross_layers", 3, 0, 16, "number of cross layers"),
                    ParamSpec::choice("structure", "stacked", {"stacked", "parallel"},
                                      "deep part on top of the cross stack, or beside it"),
                    ParamSpec::integer("deep_layers", 2, 0, 16, "ReLU layers of the deep part"),
                    ParamSpec::integer("deep_units", 128, 1, 4096, "width of each deep layer")})},
      [](const ParamValues& p, const PredictorContext& c) {
        return single_task(std::make_unique<nn::DcnV2<float>>(dcn_v2_config(p, c), seed_of(c)), p,
                           c);
      },
      [](const ParamValues& p, const PredictorContext& c) {
        return network_footprint(dcn_v2_config(p, c));
      });
}

void register_mmoe(PredictorRegistry& registry) {
  registry.add(
      {"mmoe",
       "MMoE (Ma et al. 2018): shared experts, a softmax gate and a tower per task for click, "
       "conversion given click and return given click, with per-task loss weights",
       with_common(8, {ParamSpec::integer("experts", 4, 1, 64, "number of experts"),
                       ParamSpec::integer("expert_units", 64, 1, 4096, "width of each expert"),
                       ParamSpec::integer("tower_units", 32, 1, 4096, "width of each task tower"),
                       ParamSpec::real("click_weight", 1, 0, 1e3, "loss weight of the click task"),
                       ParamSpec::real("conversion_weight", 1, 0, 1e3,
                                       "loss weight of the conversion task (on clicks)"),
                       ParamSpec::real("return_weight", 0, 0, 1e3,
                                       "loss weight of the return task (on clicks); 0 leaves "
                                       "its labels (which mature last) out")})},
      [](const ParamValues& p, const PredictorContext& c) -> std::unique_ptr<Predictor> {
        const nn::MmoeConfig config = mmoe_config(p, c);
        const auto served = static_cast<std::size_t>(c.task);
        if (config.task_weights[served] <= 0)
          throw std::invalid_argument(std::string("mmoe: the ") + task_name(c.task) +
                                      " task serves this role, so its loss weight must be > 0");
        std::vector<OutputTarget> targets;
        for (std::size_t t = 0; t < 3; ++t) {
          const auto task = static_cast<Task>(t);
          targets.push_back({task, t > 0, config.task_weights[t] > 0, prior_of(p, task)});
        }
        return std::make_unique<NeuralModel>(std::make_unique<nn::Mmoe<float>>(config, seed_of(c)),
                                             static_cast<int>(served), std::move(targets),
                                             seed_of(c), c);
      },
      [](const ParamValues& p, const PredictorContext& c) {
        return network_footprint(mmoe_config(p, c));
      });
}

void register_esmm(PredictorRegistry& registry) {
  registry.add(
      {"esmm",
       "ESMM (Ma et al. 2018): CTR and CVR towers on shared embeddings, trained on every "
       "impression through pCTR and pCTCVR = pCTR x pCVR; serves pCTR or pCVR",
       with_common(8, {ParamSpec::integer("tower_layers", 2, 1, 16, "ReLU layers of each tower"),
                       ParamSpec::integer("tower_units", 64, 1, 4096, "width of each tower layer"),
                       ParamSpec::real("ctr_weight", 1, 0, 1e3, "loss weight of pCTR"),
                       ParamSpec::real("ctcvr_weight", 1, 0, 1e3, "loss weight of pCTCVR")})},
      [](const ParamValues& p, const PredictorContext& c) -> std::unique_ptr<Predictor> {
        if (c.task == Task::kReturn)
          throw std::invalid_argument("esmm: predicts clicks and conversions, not returns");
        if (p.get_real(c.task == Task::kClick ? "ctr_weight" : "ctcvr_weight") <= 0)
          throw std::invalid_argument(std::string("esmm: the ") + task_name(c.task) +
                                      " output serves this role, so its loss weight must be > 0");
        // The CVR tower's output is P(conversion | click); its label is click AND conversion.
        return std::make_unique<NeuralModel>(
            std::make_unique<nn::Esmm<float>>(esmm_config(p, c), seed_of(c)),
            c.task == Task::kClick ? 0 : 1,
            std::vector<OutputTarget>{
                {Task::kClick, false, true, prior_of(p, Task::kClick)},
                {Task::kConversion, false, true, prior_of(p, Task::kConversion)}},
            seed_of(c), c);
      },
      [](const ParamValues& p, const PredictorContext& c) {
        return network_footprint(esmm_config(p, c));
      });
}

}  // namespace

void register_neural_models(PredictorRegistry& registry) {
  register_fm(registry);
  register_dcn_v2(registry);
  register_mmoe(registry);
  register_esmm(registry);
}

}  // namespace marketsim
