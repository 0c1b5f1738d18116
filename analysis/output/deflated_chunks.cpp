#include "analysis/output/deflated_chunks.h"

#include <hdf5.h>
#include <libdeflate.h>
#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <bit>
#include <new>

#include "sim/core/parallel_for.h"

namespace marketsim::h5 {
namespace {

constexpr std::size_t kElementSize = 8;
// Chunks compressed at once: with 512 KiB chunks, at most ~32 MiB of compressed output waiting.
constexpr std::size_t kWindowChunks = 64;

static_assert(std::endian::native == std::endian::little,
              "columns are stored as their in-memory bytes, which the file declares little-endian");

// One chunk to store: column `column`, rows from `first_row`.
struct ChunkJob {
  std::size_t column;
  std::size_t first_row;
};

}  // namespace

void ChunkCompressor::Free::operator()(libdeflate_compressor* compressor) const {
  libdeflate_free_compressor(compressor);
}

ChunkCompressor::ChunkCompressor(std::size_t chunk_elements, int level)
    : chunk_elements_(chunk_elements),
      compressor_(libdeflate_alloc_compressor(level)),
      shuffled_(chunk_elements * kElementSize) {
  if (!compressor_) throw std::bad_alloc();
}

std::vector<unsigned char> ChunkCompressor::compress(std::span<const std::byte> values) {
  // Shuffle: byte b of element i goes to b * chunk_elements + i; a partial chunk's padding is
  // zero (a full chunk overwrites every byte).
  const std::size_t count = values.size() / kElementSize;
  if (count < chunk_elements_) std::fill(shuffled_.begin(), shuffled_.end(), 0);
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t b = 0; b < kElementSize; ++b)
      shuffled_[b * chunk_elements_ + i] = static_cast<unsigned char>(values[i * kElementSize + b]);
  std::vector<unsigned char> out(
      libdeflate_zlib_compress_bound(compressor_.get(), shuffled_.size()));
  // The bound always suffices, so the size is never 0.
  out.resize(libdeflate_zlib_compress(compressor_.get(), shuffled_.data(), shuffled_.size(),
                                      out.data(), out.size()));
  return out;
}

void write_deflated_columns(std::span<const DeflatedColumn> columns, std::size_t chunk_rows,
                            int level, std::size_t first_row) {
  std::vector<ChunkJob> jobs;
  for (std::size_t c = 0; c < columns.size(); ++c)
    for (std::size_t row = 0; row < columns[c].values.size() / kElementSize; row += chunk_rows)
      jobs.push_back({c, row});
  tbb::enumerable_thread_specific<ChunkCompressor> compressors(chunk_rows, level);
  std::vector<std::vector<unsigned char>> stored(std::min(jobs.size(), kWindowChunks));
  for (std::size_t begin = 0; begin < jobs.size(); begin += kWindowChunks) {
    const std::size_t end = std::min(jobs.size(), begin + kWindowChunks);
    parallel_for_index(begin, end, [&](std::size_t j) {
      const std::span<const std::byte> values = columns[jobs[j].column].values;
      const std::size_t first = jobs[j].first_row * kElementSize;
      const std::size_t bytes = std::min(chunk_rows * kElementSize, values.size() - first);
      stored[j - begin] = compressors.local().compress(values.subspan(first, bytes));
    });
    for (std::size_t j = begin; j < end; ++j) {
      const Node& dataset = *columns[jobs[j].column].dataset;
      const hsize_t offset = first_row + jobs[j].first_row;
      const std::vector<unsigned char>& bytes = stored[j - begin];
      if (H5Dwrite_chunk(dataset.id(), H5P_DEFAULT, 0, &offset, bytes.size(), bytes.data()) < 0)
        dataset.fail("write a compressed chunk");
    }
  }
}

}  // namespace marketsim::h5
