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
# evaluation.models = false: the same run without model figures (NaN, counts 0) or alerts, its
# other datasets unchanged.
"$marketsim" run "$src/tests/data/small.toml" -o "$dir/unevaluated.h5" --threads 2 \
  --set evaluation.models=false >/dev/null
/usr/bin/python3 "$src/tests/analysis/check_output.py" "$dir/unevaluated.h5" --runner
"$marketsim" report "$dir/unevaluated.h5" >/dev/null
/usr/bin/python3 - "$dir/out.h5" "$dir/unevaluated.h5" <<'PY'
import sys
import h5py
import numpy as np
evaluated, unevaluated = (h5py.File(p, "r") for p in sys.argv[1:3])
for cell in ("greedy", "explore"):
    models = unevaluated["models/" + cell]
    for m in ("ctr", "cvr"):
        assert (models[m + "_count"][...] == 0).all(), (cell, m)
        assert np.isnan(models[m + "_auc"][...]).all(), (cell, m)
        assert np.isnan(models[m + "_psi"][...]).all(), (cell, m)
        assert (models[m + "_alerts"][...] == 0).all(), (cell, m)
        assert np.isnan(unevaluated["summary/" + m + "_first_alert_h"][...]).all(), m
    assert (evaluated["models/" + cell + "/ctr_count"][...] > 0).all(), cell
    assert evaluated["summary/ctr_trained_examples"].shape == unevaluated[
        "summary/ctr_trained_examples"].shape
assert unevaluated["alerts/row"].shape[0] == 0
for group in ("series", "advertisers"):
    def same(name, node):
        if isinstance(node, h5py.Dataset):
            other = unevaluated[group + "/" + name][...]
            assert np.array_equal(node[...], other, equal_nan=node.dtype.kind == "f"), name
    evaluated[group].visititems(same)
for column in ("ctr_trained_examples", "cvr_trained_examples", "transactions", "revenue"):
    assert np.array_equal(evaluated["summary/" + column][...],
                          unevaluated["summary/" + column][...]), column
print("evaluation.models = false: no model figures, the rest unchanged")
PY
