#!/usr/bin/env bash
# `marketsim plot` renders the gallery of small real runs: every PNG listed in manifest.json is a
# valid image that matplotlib reads back, each figure draws the expected number of series (one per
# cell, plus a paired-difference band per non-baseline cell over time), index.html shows them all,
# and a file that is not a results file exits 2.
set -euo pipefail
marketsim=$1 src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$marketsim" run "$src/tests/data/small.toml" -o "$dir/small.h5" --threads 2 >/dev/null
"$marketsim" run "$src/tests/data/experiment.toml" -o "$dir/exp.h5" --threads 2 >/dev/null
"$marketsim" plot "$dir/small.h5"
"$marketsim" plot "$dir/exp.h5" -o "$dir/exp_gallery"
/usr/bin/python3 - "$dir/small_plots" 2 "$dir/exp_gallery" 1 <<'PY'
import json, os, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.image as mpimg
for gallery, cells in zip(sys.argv[1::2], map(int, sys.argv[2::2])):
    entries = json.load(open(os.path.join(gallery, "manifest.json")))
    index = open(os.path.join(gallery, "index.html"), encoding="utf-8").read()
    names = [e["file"] for e in entries]
    for required in ("series_revenue.png", "series_regret_per_request.png",
                     "cumulative_revenue.png", "spend_vs_budget.png", "reliability_ctr.png"):
        assert required in names, (gallery, required, names)
    for e in entries:
        path = os.path.join(gallery, e["file"])
        with open(path, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n", path
        image = mpimg.imread(path)
        assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100, path
        assert e["file"] in index, e["file"]
        if e["file"].startswith("series_"):
            assert e["series"] == cells + (cells - 1), e
        elif e["file"] in ("cumulative_revenue.png", "spend_vs_budget.png",
                           "reliability_ctr.png"):
            assert e["series"] == cells, e
    print(f"{gallery}: {len(entries)} valid figures")
exp = json.load(open(os.path.join(sys.argv[3], "manifest.json")))
assert any(e["file"] == "experiment_explorer_p_values.png" and e["series"] == 2 for e in exp), exp
PY
echo "not hdf5" > "$dir/bad.h5"
status=0
"$marketsim" plot "$dir/bad.h5" 2>/dev/null || status=$?
[ "$status" -eq 2 ] || { echo "FAIL: plot of a foreign file exited $status" >&2; exit 1; }
echo "marketsim plot: galleries valid; a foreign file exits 2"
