// FeatureHasher: turns raw feature values into hashed buckets (embedding rows) for a batch.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "models/features/feature_spec.h"

namespace marketsim {

// Column-major matrix of 32-bit codes: one row per feature column, one column per example.
using CodeMatrix = Eigen::Matrix<std::uint32_t, Eigen::Dynamic, Eigen::Dynamic>;

// The encoded inputs of a batch of impressions, one column per impression.
//   buckets(c, j): the hashed bucket of feature column c, in [0, 2^hash_bits): the row of the
//                  shared embedding table (hashing trick; colliding features share a row)
//   values(c, j):  the raw field value, or for a cross a 32-bit hash of both values (for models
//                  that split on values rather than look up embeddings, such as trees)
struct FeatureBatch {
  CodeMatrix buckets;
  CodeMatrix values;

  Eigen::Index size() const { return buckets.cols(); }
  // Makes room for `n` examples of `columns` columns (allocates when the size changes, so keep
  // one batch per typical size).
  void resize(Eigen::Index columns, Eigen::Index n) {
    buckets.resize(columns, n);
    values.resize(columns, n);
  }
};

// Hashes the columns of a FeatureSpec. Every column has its own salt, so the same value in two
// fields lands in different buckets; a missing value (kMissingFeature) is a value like any other.
// Immutable after construction; safe to share across threads.
class FeatureHasher {
 public:
  explicit FeatureHasher(const FeatureSpec& spec);

  int width() const { return static_cast<int>(columns_.size()); }
  std::uint32_t bucket_count() const { return mask_ + 1; }

  // Encodes `raw` into column j of `batch` (already sized).
  void encode(const RawFeatures& raw, FeatureBatch& batch, Eigen::Index j) const;

  // Encodes into column j only the columns that read an offer field, copying the others from
  // column `from` (same request and slot): a request's candidates share their request columns.
  void encode_offer(const RawFeatures& raw, FeatureBatch& batch, Eigen::Index j,
                    Eigen::Index from) const;

 private:
  struct Column {
    std::size_t first;
    std::size_t second;  // kFieldCount when the column is a single field
    std::uint64_t salt;
    bool reads_offer;  // depends on an offer field
  };

  void encode_column(const Column& column, const RawFeatures& raw, FeatureBatch& batch,
                     Eigen::Index row, Eigen::Index j) const;

  std::vector<Column> columns_;
  std::uint32_t mask_;
};

}  // namespace marketsim
