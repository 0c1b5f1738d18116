#include "analysis/output/shard_file.h"

#include <hdf5.h>

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "analysis/output/hdf5_columns.h"
#include "analysis/output/hdf5_node.h"
#include "analysis/output/record_frames.h"
#include "sim/core/error.h"
#include "sim/core/hash.h"

namespace marketsim {
namespace {

constexpr char kShardFormat[] = "marketsim-shard";
constexpr std::int32_t kShardFormatVersion = 1;

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string read_text(const h5::Node& root, const std::string& name) {
  const std::vector<std::string> values = root.open_dataset(name).read_strings();
  if (values.size() != 1) root.fail("read " + name + " as one string");
  return values.front();
}

// The /records bytes, refusing a declared size the file cannot hold.
std::string read_records(const h5::Node& root, const std::string& path) {
  const h5::Node records = root.open_dataset("records");
  const h5::Id type(H5Dget_type(records.id()));
  const h5::Id space(H5Dget_space(records.id()));
  if (!type.valid() || !space.valid() || H5Tget_class(type.get()) != H5T_INTEGER ||
      H5Tget_size(type.get()) != 1 || H5Sget_simple_extent_ndims(space.get()) != 1)
    throw RunError(path + ": /records is not a 1-D byte dataset");
  const hsize_t size = records.size();
  std::error_code error;
  const std::uintmax_t file_size = std::filesystem::file_size(path, error);
  if (error || size > file_size)
    throw RunError(path + ": /records declares more bytes than the file holds");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (size > 0 &&
      H5Dread(records.id(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) < 0)
    throw RunError(path + ": cannot read /records");
  return bytes;
}

}  // namespace

ShardSpec parse_shard(const std::string& text, const std::string& option) {
  unsigned long long index = 0, count = 0;
  int used = 0;
  if (std::sscanf(text.c_str(), "%llu/%llu%n", &index, &count, &used) != 2 ||
      used != static_cast<int>(text.size()) || text[0] == '-' || count == 0 || index >= count ||
      text.find('-') != std::string::npos)
    throw UsageError(option + ": expected I/N with 0 <= I < N, got \"" + text + "\"");
  return ShardSpec{static_cast<std::size_t>(index), static_cast<std::size_t>(count)};
}

std::uint64_t run_fingerprint(const Provenance& provenance, const ShardSpec& shard) {
  std::uint64_t hash = splitmix64(shard.index ^ splitmix64(shard.count));
  for (const std::string* text :
       {&provenance.software_version, &provenance.scenario_text, &provenance.resolved_text})
    hash = splitmix64(hash ^ frame_checksum(*text));
  hash = splitmix64(hash ^ frame_checksum(join_lines(provenance.overrides)));
  return splitmix64(hash ^ provenance.seed);
}

std::string fingerprint_text(std::uint64_t fingerprint) {
  char text[17];
  std::snprintf(text, sizeof text, "%016" PRIx64, fingerprint);
  return text;
}

void write_shard(const std::string& path, const ShardContents& contents, bool no_clobber) {
  const std::string partial = path + ".partial";
  h5::silence_errors();
  {
    h5::Id file(H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    if (!file.valid()) throw RunError(partial + ": cannot create the shard file");
    h5::Node root(std::move(file), partial, "/");
    try {
      root.set_attr("format", std::string(kShardFormat));
      root.set_attr("format_version", kShardFormatVersion);
      root.set_attr("software_version", contents.software_version);
      root.set_attr("scenario_path", contents.scenario_path);
      root.set_attr("fingerprint", contents.fingerprint);
      root.set_attr("shard", static_cast<std::uint64_t>(contents.shard.index));
      root.set_attr("shards", static_cast<std::uint64_t>(contents.shard.count));
      h5::write_string(root, "scenario_text", contents.scenario_text);
      h5::write_string(root, "overrides", join_lines(contents.overrides));
      std::string frames;
      for (const std::string& record : contents.records) append_frame(frames, record);
      const h5::Node records = root.create_dataset(
          "records", H5T_STD_U8LE, {static_cast<hsize_t>(frames.size())}, H5P_DEFAULT);
      if (!frames.empty()) records.write(H5T_NATIVE_UINT8, frames.data());
      root.close();
    } catch (...) {
      std::error_code ignored;
      std::filesystem::remove(partial, ignored);
      throw;
    }
  }
  publish_file(partial, path, no_clobber);
}

ShardContents read_shard(const std::string& path) {
  const h5::Node root = h5::open_file_readonly(path);
  if (!root.has_attr("format") || root.string_attr("format") != kShardFormat)
    throw RunError(path + ": not a marketsim shard file (made by run --shard I/N)");
  if (root.int_attr("format_version") != kShardFormatVersion)
    throw RunError(path + ": shard format version " +
                   std::to_string(root.int_attr("format_version")) + " is not " +
                   std::to_string(kShardFormatVersion));
  ShardContents contents;
  const std::int64_t index = root.int_attr("shard"), count = root.int_attr("shards");
  if (count < 1 || index < 0 || index >= count)
    throw RunError(path + ": shard " + std::to_string(index) + "/" + std::to_string(count) +
                   " is not a valid slice");
  contents.shard = ShardSpec{static_cast<std::size_t>(index), static_cast<std::size_t>(count)};
  contents.software_version = root.string_attr("software_version");
  contents.scenario_path = root.string_attr("scenario_path");
  contents.fingerprint = root.string_attr("fingerprint");
  contents.scenario_text = read_text(root, "scenario_text");
  contents.overrides = split_lines(read_text(root, "overrides"));
  const std::string bytes = read_records(root, path);
  const FrameScan scan = scan_frames(bytes);
  if (scan.valid_bytes != bytes.size())
    throw RunError(path + ": /records is damaged (a record fails its checksum)");
  for (std::string_view payload : scan.payloads) contents.records.emplace_back(payload);
  return contents;
}

}  // namespace marketsim
