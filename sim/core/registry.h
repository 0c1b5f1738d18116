// Registry: the components of one extension point, each built by the name scenario files use.
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/core/param.h"

namespace marketsim {

// What `marketsim list` and the scenario schema need to know about one registered component.
struct ComponentInfo {
  std::string name;               // the name used in scenario files, e.g. "epsilon_greedy"
  std::string description;        // one line
  std::vector<ParamSpec> params;  // paths relative to the component
};

// What one built component costs, as its registration declares it for estimates made before
// anything is built: the bytes it holds where they grow with a setting; for a model whose
// arithmetic dominates its time (a network), the floating-point operations of one prediction
// (its forward pass over one example); and for a model whose bookkeeping per candidate (hashing
// its features, updating its weights) costs more than the Beta model the estimate's base rate
// runs, the CPU seconds that adds per prediction, its training included, and per call (one call
// predicts a request's candidates, another its shown slots). A model that grows in its batch fits
// (boosted trees: each fit adds trees, kept by a warm start) declares what one fit adds: CPU
// seconds to every later prediction and bytes to the model, and what fitting costs per example of
// the window: CPU seconds (all of a fit's rounds) and bytes held while the fit runs.
struct Footprint {
  double bytes = 0;
  double flops_per_prediction = 0;
  double cpu_seconds_per_prediction = 0;
  double cpu_seconds_per_call = 0;
  double cpu_seconds_per_prediction_per_fit = 0;
  double bytes_per_fit = 0;
  double cpu_seconds_per_fitted_example = 0;
  double bytes_per_fitted_example = 0;
};

// The implementations of one interface (explorers, auctions, ...), keyed by name. Built once
// with explicit registration calls and then only read, so sharing it across threads is safe.
// `Context` carries run-time facts a component needs besides its parameters (e.g. slot count).
template <typename Interface, typename... Context>
class Registry {
 public:
  using Factory = std::function<std::unique_ptr<Interface>(const ParamValues&, Context...)>;
  // The footprint of a component built from the same arguments (for estimates, without building
  // it).
  using FootprintOf = std::function<Footprint(const ParamValues&, Context...)>;

  explicit Registry(std::string stage) : stage_(std::move(stage)) {}

  // Adds a component, with its footprint where it can grow large (its parameters scale with a
  // setting); none counts as zero. Names must be unique within the registry.
  void add(ComponentInfo info, Factory make, FootprintOf footprint = {}) {
    if (find(info.name)) throw std::logic_error("duplicate " + stage_ + ": " + info.name);
    entries_.push_back(Entry{std::move(info), std::move(make), std::move(footprint)});
  }

  // Builds the component `name` from its own (validated) parameters. Unknown names are a
  // std::invalid_argument listing the valid ones.
  std::unique_ptr<Interface> create(const std::string& name, const ParamValues& params,
                                    Context... context) const {
    return entry(name).make(params, context...);
  }

  // The footprint of the component `name` built from these arguments, as its registration
  // declares it (zero when it declares none), without building it. Unknown names as in create().
  Footprint footprint(const std::string& name, const ParamValues& params,
                      Context... context) const {
    const Entry& e = entry(name);
    return e.footprint ? e.footprint(params, context...) : Footprint{};
  }

  // The stage this registry serves, e.g. "explorer".
  const std::string& stage() const { return stage_; }

  // Registered components in registration order.
  std::vector<ComponentInfo> components() const {
    std::vector<ComponentInfo> out;
    for (const auto& e : entries_) out.push_back(e.info);
    return out;
  }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : entries_) out.push_back(e.info.name);
    return out;
  }

 private:
  struct Entry {
    ComponentInfo info;
    Factory make;
    FootprintOf footprint;
  };

  const Entry& entry(const std::string& name) const {
    const Entry* e = find(name);
    if (!e)
      throw std::invalid_argument("unknown " + stage_ + " \"" + name +
                                  "\"; valid: " + joined_names());
    return *e;
  }

  const Entry* find(const std::string& name) const {
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [&](const Entry& e) { return e.info.name == name; });
    return it == entries_.end() ? nullptr : &*it;
  }

  std::string joined_names() const {
    std::string s;
    for (const auto& e : entries_) s += (s.empty() ? "" : ", ") + e.info.name;
    return s;
  }

  std::string stage_;
  std::vector<Entry> entries_;
};

}  // namespace marketsim
