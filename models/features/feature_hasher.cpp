#include "models/features/feature_hasher.h"

#include "sim/core/hash.h"

namespace marketsim {
FeatureHasher::FeatureHasher(const FeatureSpec& spec)
    : mask_(static_cast<std::uint32_t>((std::uint64_t{1} << spec.hash_bits) - 1)) {
  for (const FeatureColumn& c : spec.columns) {
    const auto first = static_cast<std::size_t>(c.first);
    const std::size_t second = c.second ? static_cast<std::size_t>(*c.second) : kFieldCount;
    const bool reads_offer =
        is_offer_field(c.first) || (c.second.has_value() && is_offer_field(*c.second));
    columns_.push_back(Column{first, second, splitmix64((first << 8) | second), reads_offer});
  }
}

void FeatureHasher::encode_column(const Column& column, const RawFeatures& raw, FeatureBatch& batch,
                                  Eigen::Index row, Eigen::Index j) const {
  if (column.second == kFieldCount) {
    const std::uint32_t value = raw[column.first];
    batch.values(row, j) = value;
    batch.buckets(row, j) = static_cast<std::uint32_t>(splitmix64(column.salt ^ value)) & mask_;
  } else {
    const std::uint64_t h = splitmix64(splitmix64(column.salt ^ raw[column.first]) ^ raw[column.second]);
    batch.values(row, j) = static_cast<std::uint32_t>(h >> 32);
    batch.buckets(row, j) = static_cast<std::uint32_t>(h) & mask_;
  }
}

void FeatureHasher::encode(const RawFeatures& raw, FeatureBatch& batch, Eigen::Index j) const {
  for (std::size_t c = 0; c < columns_.size(); ++c)
    encode_column(columns_[c], raw, batch, static_cast<Eigen::Index>(c), j);
}

void FeatureHasher::encode_offer(const RawFeatures& raw, FeatureBatch& batch, Eigen::Index j,
                                 Eigen::Index from) const {
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    const auto row = static_cast<Eigen::Index>(c);
    if (columns_[c].reads_offer) {
      encode_column(columns_[c], raw, batch, row, j);
    } else {
      batch.values(row, j) = batch.values(row, from);
      batch.buckets(row, j) = batch.buckets(row, from);
    }
  }
}

}  // namespace marketsim
