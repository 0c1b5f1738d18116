#!/usr/bin/env bash
# Every shipped scenario runs at reduced size (one replication, 3000 users, 30 transactions per
# hour per partner, its own duration, so its drifts, sales and rollout stages still happen), its
# file passes the read-back checks and `marketsim report` prints it within 100 columns.
set -euo pipefail
marketsim=$1 src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for scenario in "$src"/scenarios/*.toml; do
  name=$(basename "$scenario" .toml)
  "$marketsim" run "$scenario" -o "$dir/$name.h5" --threads 2 --replications 1 \
    --set users.count=3000 --set partners.transactions_per_hour=30 >/dev/null
  /usr/bin/python3 "$src/tests/analysis/check_output.py" "$dir/$name.h5" --runner >/dev/null
  "$marketsim" report "$dir/$name.h5" > "$dir/$name.txt"
  if ! LC_ALL=C.UTF-8 awk 'length($0) > 100 { bad = 1 } END { exit bad }' "$dir/$name.txt"; then
    echo "FAIL: $name: report lines wider than 100 columns" >&2
    exit 1
  fi
  echo "$name: ran at reduced size"
done
