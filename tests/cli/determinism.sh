#!/usr/bin/env bash
# Same scenario, overrides and seed -> identical datasets for --threads 1 and --threads 2
# (everything but /timing), and a different seed gives different data; also when the runner starts
# the worlds out of list order (longest first).
set -euo pipefail
marketsim=$1 src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
args=(run "$src/tests/data/small.toml" --set users.count=3000)
"$marketsim" "${args[@]}" -o "$dir/one.h5" --threads 1 >/dev/null
"$marketsim" "${args[@]}" -o "$dir/two.h5" --threads 2 >/dev/null
"$marketsim" "${args[@]}" -o "$dir/seed.h5" --threads 2 --seed 8 >/dev/null
h5diff --exclude-path /timing "$dir/one.h5" "$dir/two.h5"
echo "identical datasets for --threads 1 and 2"
if h5diff -q --exclude-path /timing "$dir/one.h5" "$dir/seed.h5" >/dev/null 2>&1; then
  echo "FAIL: a different seed produced identical output" >&2
  exit 1
fi
echo "a different seed changes the output"
# The learned models too: a network trained online with a delayed click label and a calibrator,
# gradient-boosted trees retrained in batches on a downsampled window, permutation importance.
models=(--set recommender.ranker.type=dcn_v2 --set recommender.ranker.dcn_v2.deep_units=16
  --set recommender.ranker.training.batch_size=16 --set run.click_label_delay_h=0.1
  --set recommender.ranker.calibration.method=isotonic
  --set recommender.ranker.calibration.refit_every_h=1 --set recommender.ranker.calibration.min_examples=100
  --set recommender.conversion_model.type=gbdt --set recommender.conversion_model.gbdt.rounds=5
  --set recommender.conversion_model.training.schedule=batch
  --set recommender.conversion_model.training.retrain_every_h=2
  --set recommender.conversion_model.training.negative_rate=0.5
  --set evaluation.importance_every=5 --set evaluation.monitor_min_count=50)
"$marketsim" "${args[@]}" "${models[@]}" -o "$dir/m1.h5" --threads 1 >/dev/null
"$marketsim" "${args[@]}" "${models[@]}" -o "$dir/m2.h5" --threads 2 >/dev/null
h5diff --exclude-path /timing "$dir/m1.h5" "$dir/m2.h5"
echo "identical datasets with learned models for --threads 1 and 2"
# Cells of uneven length with an experiment's counterfactual worlds: started longest first and
# finishing in any order, they still fill the same datasets.
uneven=(run "$src/tests/data/uneven_cells.toml")
"$marketsim" "${uneven[@]}" -o "$dir/u1.h5" --threads 1 >/dev/null
"$marketsim" "${uneven[@]}" -o "$dir/u2.h5" --threads 2 >/dev/null
h5diff --exclude-path /timing "$dir/u1.h5" "$dir/u2.h5"
echo "identical datasets for uneven cells with --threads 1 and 2"
