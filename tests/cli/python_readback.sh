#!/usr/bin/env bash
# The output of a real run opens in h5py, pandas and xarray (tests/analysis/check_output.py),
# including the groups only the runner writes (/models).
set -euo pipefail
marketsim=$1 src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$marketsim" run "$src/tests/data/small.toml" -o "$dir/out.h5" --threads 2 >/dev/null
/usr/bin/python3 "$src/tests/analysis/check_output.py" "$dir/out.h5" --runner
"$marketsim" report "$dir/out.h5"
# One dataset over all cells through the documented helper (analysis/python/marketsim_results.py).
/usr/bin/python3 - "$src" "$dir/out.h5" <<'PY'
import sys
sys.path.insert(0, sys.argv[1] + "/analysis/python")
from marketsim_results import open_series
ds = open_series(sys.argv[2])
assert ds["regret"].dims == ("cell", "replication", "time"), ds["regret"].dims
assert list(ds["cell"].values) == ["greedy", "explore"], ds["cell"].values
assert ds["recommender.explorer.type"].sel(cell="explore").item() == "epsilon_greedy"
assert float(ds["transactions"].sel(cell="greedy").sum()) > 0
print("open_series: one dataset over all cells")
PY
