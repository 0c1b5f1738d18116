#!/usr/bin/env bash
# bench/compare: one build against itself reports identical outputs, one JSON line per round and a
# summary whose ratio lies in its interval; a seed changed on one side only reports the datasets
# that differ; bad usage exits 2 and a failing run exits 1 with marketsim's error.
set -uo pipefail
marketsim=$1 src=$2
source "$src/tests/cli/checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
compare=$src/bench/compare
small=$src/tests/data/small.toml
"$compare" "$marketsim" "$marketsim" --scenario "$small" --rounds 3 > "$dir/same.jsonl" ||
  fail "compare of a build with itself failed"
"$compare" "$marketsim" "$marketsim" --scenario "$small" --rounds 2 --new-set run.seed=2 \
  > "$dir/seed.jsonl" || fail "compare of two seeds failed"
/usr/bin/python3 - "$dir/same.jsonl" "$dir/seed.jsonl" <<'PY'
import json, sys
same = [json.loads(line) for line in open(sys.argv[1])]
seed = [json.loads(line) for line in open(sys.argv[2])]
assert [x["bench"] for x in same] == ["compare_round"] * 3 + ["compare"], same
assert [x["first"] for x in same[:3]] == ["old", "new", "old"], same
summary = same[-1]
assert summary["rounds"] == 3 and summary["transactions"] > 0, summary
assert summary["outputs_identical"] is True and summary["differing"] == [], summary
low, high = summary["ratio_ci95"]
assert 0 < low <= summary["ratio"] <= high, summary
low, high = summary["wall_ratio_ci95"]
assert 0 < low <= summary["wall_ratio"] <= high, summary
for r in same[:3]:
    assert min(r["old_cpu_s"], r["new_cpu_s"], r["old_wall_s"], r["new_wall_s"]) > 0, r
    # The printed times are rounded to 0.5 ms and the ratio to 5e-5: what their quotient may miss.
    slack = r["ratio"] * (0.0005 / r["new_cpu_s"] + 0.0005 / r["old_cpu_s"]) + 5e-5
    assert abs(r["ratio"] - r["new_cpu_s"] / r["old_cpu_s"]) <= slack, r
summary = seed[-1]
assert summary["new_set"] == ["run.seed=2"] and summary["old_set"] == [], summary
assert summary["outputs_identical"] is False, summary
assert 0 < len(summary["differing"]) <= 10, summary
assert not any(d.startswith(("timing", "provenance")) for d in summary["differing"]), summary
PY
[ $? -eq 0 ] || fail "bench/compare's JSON lines are not what they should be"
expect 2 "usage: bench/compare" -- "$compare" "$marketsim" "$marketsim" --rounds 1
expect 2 "usage: bench/compare" -- "$compare" "$marketsim"
expect 2 "no scenario" -- "$compare" "$marketsim" "$marketsim" --scenario "$dir/none"
expect 2 "no executable" -- "$compare" "$dir/none" "$marketsim"
expect 2 "no executable" -- "$compare" "$marketsim" "$small"
expect 1 "unknown key" -- "$compare" "$marketsim" "$marketsim" --scenario "$small" --set run.bogus=1
echo "bench_compare: ok"
