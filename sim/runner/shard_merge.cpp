#include "sim/runner/shard_merge.h"

#include <chrono>
#include <map>
#include <tuple>

#include "analysis/output/shard_file.h"
#include "sim/core/error.h"
#include "sim/runner/replication_codec.h"
#include "sim/runner/result_tables.h"
#include "sim/runner/world_tasks.h"

namespace marketsim {
namespace {

// Refuses `shard` unless it belongs to the same run as `first` (read from `first_path`).
void check_same_run(const ShardContents& first, const std::string& first_path,
                    const ShardContents& shard, const std::string& path) {
  const auto refuse = [&](const std::string& what) {
    throw UsageError("marketsim merge: " + path + " and " + first_path + " " + what);
  };
  if (shard.software_version != first.software_version)
    refuse("were made by different software versions (" + shard.software_version + ", " +
           first.software_version + ")");
  if (shard.scenario_text != first.scenario_text) refuse("ran different scenario files");
  if (shard.overrides != first.overrides) refuse("ran with different overrides");
  if (shard.fingerprint != first.fingerprint) refuse("are of different runs (seed or scenario)");
  if (shard.shard.count != first.shard.count)
    refuse("split the run differently (" + std::to_string(shard.shard.count) + " and " +
           std::to_string(first.shard.count) + " shards)");
}

}  // namespace

RunSummary merge_shards(const std::string& output, const std::vector<std::string>& shards,
                        bool no_clobber) {
  const auto start = std::chrono::steady_clock::now();
  if (shards.empty()) throw UsageError("marketsim merge: no shard files given");
  std::vector<ShardContents> contents;
  std::map<std::size_t, std::string> slice_files;
  for (const std::string& path : shards) {
    contents.push_back(read_shard(path));
    if (contents.size() > 1)
      check_same_run(contents.front(), shards.front(), contents.back(), path);
    const std::size_t slice = contents.back().shard.index;
    const auto [at, fresh] = slice_files.emplace(slice, path);
    if (!fresh)
      throw UsageError("marketsim merge: " + path + " and " + at->second + " are both shard " +
                       std::to_string(slice) + "/" + std::to_string(contents.back().shard.count));
  }
  const std::size_t count = contents.front().shard.count;
  std::string missing;
  for (std::size_t i = 0; i < count; ++i)
    if (!slice_files.contains(i))
      missing += (missing.empty() ? "" : ", ") + std::to_string(i) + "/" + std::to_string(count);
  if (!missing.empty()) throw UsageError("marketsim merge: shard " + missing + " missing");

  const ShardContents& first = contents.front();
  const Scenario scenario =
      parse_scenario(first.scenario_text, first.scenario_path, first.overrides, scenario_schema());
  const Provenance provenance = make_provenance(scenario);
  if (provenance.software_version != first.software_version)
    throw UsageError("marketsim merge: the shards were made by marketsim " +
                     first.software_version + ", this is " + provenance.software_version);
  if (fingerprint_text(run_fingerprint(provenance, ShardSpec{})) != first.fingerprint)
    throw UsageError("marketsim merge: " + shards.front() +
                     " does not resolve to the run it was made by");

  const std::vector<WorldSpec> cells = cell_worlds(scenario);
  const auto replications = static_cast<std::size_t>(cells.front().run.replications);
  const std::vector<WorldTask> tasks = world_tasks(cells, replications);
  using Key = std::tuple<std::size_t, std::size_t, int, int>;
  std::map<Key, FinishedReplication> worlds;
  for (std::size_t s = 0; s < contents.size(); ++s) {
    for (const std::string& record : contents[s].records) {
      FinishedReplication r = decode_replication(record, shards[s]);
      const Key key{r.cell, r.replication, r.truth_experiment, r.truth_arm};
      if (!contents[s].shard.holds(r.replication) || !worlds.emplace(key, std::move(r)).second)
        throw RunError(shards[s] + ": holds a world outside its slice, or one twice");
    }
  }
  if (worlds.size() != tasks.size())
    throw RunError("marketsim merge: the shards hold " + std::to_string(worlds.size()) +
                   " worlds; the run has " + std::to_string(tasks.size()));

  ResultsFile file(output, provenance, series_layouts(scenario, cells));
  ResultCollector collector(scenario);
  RunSummary summary;
  for (const WorldTask& task : tasks) {
    const auto found = worlds.find(Key{task.cell, task.replication, task.experiment, task.arm});
    if (found == worlds.end())
      throw RunError("marketsim merge: no shard holds replication " +
                     std::to_string(task.replication) + " of cell " + std::to_string(task.cell));
    FinishedReplication& r = found->second;
    if (r.truth_experiment < 0) {
      file.write_series(r.cell, r.replication, r.series);
      ++summary.done;
    }
    summary.events += r.events;
    collector.add(std::move(r));
  }
  write_collected(file, collector, scenario, cells);
  file.finish(collector.summary_table(), collector.timing_table(), no_clobber);
  summary.total = summary.done;
  summary.transactions = collector.transactions();
  summary.written_path = output;
  summary.elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace marketsim
