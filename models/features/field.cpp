#include "models/features/field.h"

#include <string>

namespace marketsim {
namespace {

constexpr std::array<std::string_view, kFieldCount> kNames = {
    "device",        "region", "age_band", "returning", "partner",    "vertical",
    "cart_category", "user",   "offer",    "product",   "advertiser", "category",
    "creative_type", "layout", "message",  "bid_type",  "slot"};

}  // namespace

std::string_view field_name(Field field) { return kNames[static_cast<std::size_t>(field)]; }

std::optional<Field> field_named(std::string_view name) {
  for (std::size_t i = 0; i < kFieldCount; ++i)
    if (kNames[i] == name) return static_cast<Field>(i);
  return std::nullopt;
}

std::string_view field_names() {
  static const std::string names = [] {
    std::string s;
    for (std::string_view n : kNames) s += (s.empty() ? "" : ", ") + std::string(n);
    return s;
  }();
  return names;
}

void set_request_fields(const RequestFeatures& r, RawFeatures& raw) {
  raw[static_cast<std::size_t>(Field::kDevice)] = r.device;
  raw[static_cast<std::size_t>(Field::kRegion)] = r.region;
  raw[static_cast<std::size_t>(Field::kAgeBand)] = r.age_band;
  raw[static_cast<std::size_t>(Field::kReturning)] = r.returning ? 1 : 0;
  raw[static_cast<std::size_t>(Field::kPartner)] = r.partner;
  raw[static_cast<std::size_t>(Field::kVertical)] = r.vertical;
  raw[static_cast<std::size_t>(Field::kCartCategory)] = r.cart_category;
  raw[static_cast<std::size_t>(Field::kUser)] = r.user;
}

void set_offer_fields(std::uint32_t offer, const OfferFeatures& f, RawFeatures& raw) {
  raw[static_cast<std::size_t>(Field::kOffer)] = offer;
  raw[static_cast<std::size_t>(Field::kProduct)] = f.product;
  raw[static_cast<std::size_t>(Field::kAdvertiser)] = f.advertiser;
  raw[static_cast<std::size_t>(Field::kCategory)] = f.category;
  raw[static_cast<std::size_t>(Field::kCreativeType)] = f.creative_type;
  raw[static_cast<std::size_t>(Field::kLayout)] = f.layout;
  raw[static_cast<std::size_t>(Field::kMessage)] = f.message;
  raw[static_cast<std::size_t>(Field::kBidType)] = f.bid_type;
}

}  // namespace marketsim
