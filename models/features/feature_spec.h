// FeatureSpec: which observable features a model uses (section recommender.<role>.features).
#pragma once

#include <string>
#include <vector>

#include "models/features/field.h"
#include "sim/core/param.h"

namespace marketsim {

// One input column of a model: a field, or the explicit cross of two fields (`second` set).
struct FeatureColumn {
  Field first;
  std::optional<Field> second;

  // "device", or "offer*device" for a cross.
  std::string name() const;
  bool operator==(const FeatureColumn&) const = default;
};

// The feature pipeline of one model: the fields it uses, explicit pairwise crosses, the size of
// the hashed embedding space and the slot at which serving scores candidates. Models on the
// pipeline (ftrl, fm, dcn_v2, mmoe, esmm, gbdt) train with the slot each impression was shown in
// (position bias) when "slot" is a field, and serve every candidate at `reference_slot`, as
// production systems do. Scenario keys: fields, crosses, hash_bits, reference_slot.
struct FeatureSpec {
  std::vector<FeatureColumn> columns;  // the fields in their declared order, then the crosses
  int hash_bits = 18;
  int reference_slot = 0;

  static std::vector<ParamSpec> declare();
  // Parses "a,b,c" and "a*b,c*d"; unknown or repeated fields and crosses fail naming the key.
  static FeatureSpec from(const ParamValues& values);

  // True when some column reads the slot (the model can tell positions apart).
  bool uses_slot() const;
  std::vector<std::string> column_names() const;
};

}  // namespace marketsim
