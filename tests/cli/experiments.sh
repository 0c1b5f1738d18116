#!/usr/bin/env bash
# A/B experiments and off-policy evaluation end to end: identical datasets for --threads 1 and 2,
# the groups read back labeled by xarray, the report's blocks, and `marketsim ope` on the file
# reproducing the run's own estimates for an explorer-only target.
set -euo pipefail
marketsim=$1 src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
scenario="$src/tests/data/experiment.toml"
"$marketsim" run "$scenario" -o "$dir/one.h5" --threads 1 >/dev/null
"$marketsim" run "$scenario" -o "$dir/two.h5" --threads 2 > "$dir/report.txt"
h5diff --exclude-path /timing "$dir/one.h5" "$dir/two.h5"
echo "identical datasets with experiments and off-policy targets for --threads 1 and 2"
/usr/bin/python3 "$src/tests/analysis/check_output.py" "$dir/two.h5" --runner
grep -q "^experiment explorer: arms against control" "$dir/report.txt"
grep -q "^off-policy target softmax" "$dir/report.txt"
"$marketsim" ope "$dir/two.h5" --set recommender.explorer.type=greedy > "$dir/ope.txt"
/usr/bin/python3 - "$dir/two.h5" "$dir/ope.txt" <<'PY'
import sys
import xarray as xr
ds = xr.open_dataset(sys.argv[1], engine="h5netcdf", group="ope/greedy")
mean = ds["estimate"].mean("replication")
rows = [line.split() for line in open(sys.argv[2]) if line.startswith("base ")]
assert len(rows) == 8, rows
for cell, reward, estimator, estimate, *_ in rows:
    run = float(mean.sel(cell=cell, reward=reward, estimator=estimator))
    assert abs(float(estimate) - run) <= 1e-5 * max(1.0, abs(run)), (reward, estimator, estimate, run)
print("marketsim ope reproduces the run's estimates for the greedy target")
PY
status=0
"$marketsim" ope "$dir/two.h5" --set users.count=5 2>/dev/null || status=$?
[ "$status" -eq 2 ] || { echo "FAIL: ope with a non-explorer key exited $status" >&2; exit 1; }
status=0
"$marketsim" ope "$dir/two.h5" --set recommender.explorer.type=ucb1 2>/dev/null || status=$?
[ "$status" -eq 2 ] || { echo "FAIL: ope with a model-based explorer exited $status" >&2; exit 1; }
echo "marketsim ope refuses what it cannot evaluate (exit 2)"
