// Field: the observable features a model may use, and their raw values for one impression.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "models/offer_features.h"
#include "models/request_features.h"

namespace marketsim {

// One observable feature: request fields (the same for every candidate of a request), offer
// fields (the candidate's observable attributes) and the slot.
enum class Field : std::uint8_t {
  kDevice,
  kRegion,
  kAgeBand,
  kReturning,
  kPartner,
  kVertical,
  kCartCategory,
  kUser,
  kOffer,
  kProduct,
  kAdvertiser,
  kCategory,
  kCreativeType,
  kLayout,
  kMessage,
  kBidType,
  kSlot,
  kCount
};

inline constexpr std::size_t kFieldCount = static_cast<std::size_t>(Field::kCount);

// The scenario name of a field, e.g. "cart_category".
std::string_view field_name(Field field);

// The field named `name`, if any.
std::optional<Field> field_named(std::string_view name);

// Every field name, comma-separated (for messages and docs).
std::string_view field_names();

// True for the fields that describe the offer rather than the request.
constexpr bool is_offer_field(Field f) { return f >= Field::kOffer && f <= Field::kBidType; }

// The raw value of every field for one impression, indexed by Field.
using RawFeatures = std::array<std::uint32_t, kFieldCount>;

// Writes the request fields of `request` into `raw`.
void set_request_fields(const RequestFeatures& request, RawFeatures& raw);

// Writes the offer fields of catalog entry `offer` with attributes `features` into `raw`.
void set_offer_fields(std::uint32_t offer, const OfferFeatures& features, RawFeatures& raw);

}  // namespace marketsim
