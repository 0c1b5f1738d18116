// Chunks of 1-D columns shuffled and deflated by hand, on every thread of the current oneTBB arena.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "analysis/output/hdf5_node.h"

struct libdeflate_compressor;

namespace marketsim::h5 {

// Makes the stored bytes of chunks of 8-byte elements under HDF5's shuffle filter followed by its
// deflate filter: the bytes transposed as the shuffle filter does, then one zlib stream, which
// HDF5's deflate filter inflates like its own (libdeflate, about twice as fast as zlib at the same
// size). A chunk holds `chunk_elements` elements; those past the values given are zero (the
// default fill value). One per thread: it keeps its buffers between chunks.
class ChunkCompressor {
 public:
  ChunkCompressor(std::size_t chunk_elements, int level);

  // The stored bytes of the chunk whose first values.size() / 8 elements are `values`.
  std::vector<unsigned char> compress(std::span<const std::byte> values);

 private:
  struct Free {
    void operator()(libdeflate_compressor* compressor) const;
  };

  std::size_t chunk_elements_;
  std::unique_ptr<libdeflate_compressor, Free> compressor_;
  std::vector<unsigned char> shuffled_;
};

// One column to store: a 1-D dataset created chunked with the shuffle and deflate filters, and its
// values (8 bytes each, in the file's byte order).
struct DeflatedColumn {
  const Node* dataset;
  std::span<const std::byte> values;
};

// Writes every column's chunks of `chunk_rows` rows with H5Dwrite_chunk, the values being rows
// from `first_row` (a multiple of `chunk_rows`) of their datasets. HDF5 runs its filters on the
// calling thread alone and is not thread-safe, so the chunks are compressed here in parallel (a
// window of them at a time, bounding the memory) and only stored by HDF5, in order: the
// datasets read back as H5Dwrite would have made them.
void write_deflated_columns(std::span<const DeflatedColumn> columns, std::size_t chunk_rows,
                            int level, std::size_t first_row = 0);

}  // namespace marketsim::h5
