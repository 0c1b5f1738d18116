#include "models/features/feature_spec.h"

#include <algorithm>

namespace marketsim {
namespace {

constexpr const char* kDefaultFields =
    "device,region,age_band,returning,partner,vertical,cart_category,offer,advertiser,category,"
    "creative_type,slot";
constexpr const char* kDefaultCrosses = "offer*device,category*vertical";

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

// Splits "a, b,c" at commas, trimming spaces; a blank string gives no items.
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  if (trim(text).empty()) return items;
  std::size_t start = 0;
  for (std::size_t comma; (comma = text.find(',', start)) != std::string::npos; start = comma + 1)
    items.push_back(trim(text.substr(start, comma - start)));
  items.push_back(trim(text.substr(start)));
  return items;
}

Field parse_field(const ParamValues& values, const std::string& key, const std::string& name) {
  const auto field = field_named(name);
  if (!field)
    values.fail(key, "unknown field \"" + name + "\"; valid: " + std::string(field_names()));
  return *field;
}

}  // namespace

std::string FeatureColumn::name() const {
  std::string n(field_name(first));
  if (second) {
    n += '*';
    n += field_name(*second);
  }
  return n;
}

std::vector<ParamSpec> FeatureSpec::declare() {
  return {
      ParamSpec::string("fields", kDefaultFields,
                        "comma-separated fields the model uses (device, region, age_band, "
                        "returning, partner, vertical, cart_category, user, offer, product, "
                        "advertiser, category, creative_type, layout, message, bid_type, slot)"),
      ParamSpec::string("crosses", kDefaultCrosses,
                        "comma-separated explicit crosses of two fields, e.g. \"offer*device\"; "
                        "\"\" for none"),
      ParamSpec::integer("hash_bits", 18, 4, 26,
                         "log2 of the number of hashed feature buckets (embedding rows)"),
      ParamSpec::integer("reference_slot", 0, 0, 63,
                         "serving scores every candidate as if shown in this slot (0 = top)"),
  };
}

FeatureSpec FeatureSpec::from(const ParamValues& values) {
  FeatureSpec spec;
  spec.hash_bits = static_cast<int>(values.get_int("hash_bits"));
  spec.reference_slot = static_cast<int>(values.get_int("reference_slot"));
  const auto add = [&](const std::string& key, FeatureColumn column) {
    if (std::find(spec.columns.begin(), spec.columns.end(), column) != spec.columns.end())
      values.fail(key, "\"" + column.name() + "\" is listed twice");
    spec.columns.push_back(column);
  };
  for (const std::string& name : split_list(values.get_string("fields")))
    add("fields", FeatureColumn{parse_field(values, "fields", name), std::nullopt});
  if (spec.columns.empty()) values.fail("fields", "needs at least one field");
  for (const std::string& cross : split_list(values.get_string("crosses"))) {
    const auto star = cross.find('*');
    if (star == std::string::npos || cross.find('*', star + 1) != std::string::npos)
      values.fail("crosses", "\"" + cross + "\" is not of the form field*field");
    const Field a = parse_field(values, "crosses", trim(cross.substr(0, star)));
    const Field b = parse_field(values, "crosses", trim(cross.substr(star + 1)));
    if (a == b) values.fail("crosses", "\"" + cross + "\" crosses a field with itself");
    if (std::find(spec.columns.begin(), spec.columns.end(), FeatureColumn{b, a}) !=
        spec.columns.end())
      values.fail("crosses", "\"" + cross + "\" is listed twice");
    add("crosses", FeatureColumn{a, b});
  }
  return spec;
}

bool FeatureSpec::uses_slot() const {
  return std::any_of(columns.begin(), columns.end(), [](const FeatureColumn& c) {
    return c.first == Field::kSlot || c.second == Field::kSlot;
  });
}

std::vector<std::string> FeatureSpec::column_names() const {
  std::vector<std::string> names;
  for (const FeatureColumn& c : columns) names.push_back(c.name());
  return names;
}

}  // namespace marketsim
