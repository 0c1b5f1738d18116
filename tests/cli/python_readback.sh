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
