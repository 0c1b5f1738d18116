// Tests of the hand-made shuffle + deflate chunks (write_deflated_columns): HDF5 reads them back
// as the values, they inflate to the bytes HDF5's own filters compress, and they do not depend on
// the thread count.
#include <hdf5.h>
#include <libdeflate.h>
#include <tbb/task_arena.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/output/deflated_chunks.h"
#include "analysis/output/hdf5_node.h"
#include "tests/temp_dir_test_support.h"

namespace marketsim::h5 {
namespace {

constexpr hsize_t kChunkRows = 4096;
constexpr hsize_t kRows = 2 * kChunkRows + 1000;  // three chunks, the last one partial

// A column like a log's: a smooth part, repeated values and a noisy part.
std::vector<double> test_doubles() {
  std::vector<double> values(kRows);
  std::uint64_t x = 12345;
  for (hsize_t i = 0; i < kRows; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    values[i] = i % 3 == 0   ? std::sin(0.001 * static_cast<double>(i))
                : i % 3 == 1 ? 0.25
                             : static_cast<double>(x >> 11) * 0x1p-53;
  }
  return values;
}

std::vector<std::int64_t> test_ints() {
  std::vector<std::int64_t> values(kRows);
  for (hsize_t i = 0; i < kRows; ++i) values[i] = static_cast<std::int64_t>(i / 7) - 500;
  return values;
}

// A new HDF5 file at `path` with its root group open.
Node create_file(const std::string& path) {
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  REQUIRE(file >= 0);
  Node root(Id(H5Gopen2(file, "/", H5P_DEFAULT)), path, "/");
  H5Fclose(file);  // the file stays open while the root group is
  return root;
}

// A 1-D dataset of kRows elements chunked by kChunkRows with the shuffle and deflate filters.
Node chunked_dataset(const Node& root, const std::string& name, hid_t type) {
  Id dcpl(H5Pcreate(H5P_DATASET_CREATE));
  REQUIRE(H5Pset_chunk(dcpl.get(), 1, &kChunkRows) >= 0);
  REQUIRE(H5Pset_shuffle(dcpl.get()) >= 0);
  REQUIRE(H5Pset_deflate(dcpl.get(), 1) >= 0);
  return root.create_dataset(name, type, {kRows}, dcpl.get());
}

// The stored bytes of the chunk at `row` of `dataset`, with its filter mask.
std::vector<unsigned char> stored_chunk(const Node& dataset, hsize_t row, std::uint32_t& mask) {
  hsize_t size = 0;
  REQUIRE(H5Dget_chunk_storage_size(dataset.id(), &row, &size) >= 0);
  std::vector<unsigned char> bytes(size);
  REQUIRE(H5Dread_chunk(dataset.id(), H5P_DEFAULT, &row, &mask, bytes.data()) >= 0);
  return bytes;
}

// The zlib stream `stored` inflated (a chunk's shuffled bytes).
std::vector<unsigned char> inflated(const std::vector<unsigned char>& stored) {
  std::vector<unsigned char> out(kChunkRows * 8);
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  const libdeflate_result result =
      libdeflate_zlib_decompress(d, stored.data(), stored.size(), out.data(), out.size(), nullptr);
  libdeflate_free_decompressor(d);
  REQUIRE(result == LIBDEFLATE_SUCCESS);
  return out;
}

// Writes the test columns by hand-made chunks on `threads` threads into `root`.
void write_direct(const Node& root, int threads, const std::vector<double>& doubles,
                  const std::vector<std::int64_t>& ints) {
  const Node d = chunked_dataset(root, "doubles", H5T_IEEE_F64LE);
  const Node i = chunked_dataset(root, "ints", H5T_STD_I64LE);
  const std::vector<DeflatedColumn> columns{{&d, std::as_bytes(std::span(doubles))},
                                            {&i, std::as_bytes(std::span(ints))}};
  tbb::task_arena(threads).execute([&] { write_deflated_columns(columns, kChunkRows, 1); });
}

TEST_CASE("hand-made chunks read back as the values and inflate to HDF5's own shuffled bytes",
          "[analysis][output]") {
  const test_support::TempDir temp("deflated");
  const std::vector<double> doubles = test_doubles();
  const std::vector<std::int64_t> ints = test_ints();
  {
    const Node root = create_file(temp.file("direct.h5"));
    write_direct(root, 2, doubles, ints);
    const Node own = chunked_dataset(root, "pipeline", H5T_IEEE_F64LE);
    own.write(H5T_NATIVE_DOUBLE, doubles.data());
  }
  const Node root = open_file_readonly(temp.file("direct.h5"));
  CHECK(root.open_dataset("doubles").read_doubles() == doubles);
  CHECK(root.open_dataset("ints").read_ints() == ints);
  for (hsize_t row = 0; row < kRows; row += kChunkRows) {
    std::uint32_t direct_mask = 1, own_mask = 1;
    const auto direct = stored_chunk(root.open_dataset("doubles"), row, direct_mask);
    const auto own = stored_chunk(root.open_dataset("pipeline"), row, own_mask);
    CHECK(direct_mask == 0);  // both filters applied
    CHECK(own_mask == 0);
    CHECK(inflated(direct) == inflated(own));  // the last chunk's padding included
  }
}

TEST_CASE("hand-made chunks do not depend on the thread count", "[analysis][output]") {
  const test_support::TempDir temp("deflated");
  const std::vector<double> doubles = test_doubles();
  const std::vector<std::int64_t> ints = test_ints();
  for (int threads : {1, 2}) {
    const Node root = create_file(temp.file(std::to_string(threads) + ".h5"));
    write_direct(root, threads, doubles, ints);
  }
  const Node one = open_file_readonly(temp.file("1.h5"));
  const Node two = open_file_readonly(temp.file("2.h5"));
  for (const char* name : {"doubles", "ints"})
    for (hsize_t row = 0; row < kRows; row += kChunkRows) {
      std::uint32_t mask = 0;
      CHECK(stored_chunk(one.open_dataset(name), row, mask) ==
            stored_chunk(two.open_dataset(name), row, mask));
    }
}

}  // namespace
}  // namespace marketsim::h5
