#!/usr/bin/env bash
# Nothing lost: shards merged into the single-process file, --resume after SIGINT, kill -9 at
# random moments in a loop, a second run on the same output, a full disk (a file-size limit) and
# --no-clobber. Every finished file is compared with an uninterrupted run by h5diff outside
# /timing.
set -uo pipefail
marketsim=$1 src=$2
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$dir"' EXIT
source "$(dirname "$0")/checks.sh"
small=$src/tests/data/small.toml

# Shards 0/3, 1/3, 2/3 joined in any order equal one process, also with experiments' truth worlds
# and off-policy logs.
for scenario in small experiment; do
  "$marketsim" run "$src/tests/data/$scenario.toml" -o "$dir/$scenario.h5" --threads 2 \
    >/dev/null 2>&1 || fail "$scenario: single run failed"
  for i in 0 1 2; do
    "$marketsim" run "$src/tests/data/$scenario.toml" --shard $i/3 -o "$dir/$scenario.s$i.h5" \
      --threads $((i % 2 + 1)) >/dev/null 2>&1 || fail "$scenario: shard $i/3 failed"
  done
  "$marketsim" merge "$dir/$scenario.merged.h5" "$dir/$scenario".s{2,0,1}.h5 >/dev/null 2>&1 ||
    fail "$scenario: merge failed"
  same "$dir/$scenario.h5" "$dir/$scenario.merged.h5"
done
s="$dir/small.s"
expect 2 "are both shard 0/3" -- "$marketsim" merge "$dir/m.h5" "${s}0.h5" "${s}0.h5" "${s}1.h5"
expect 2 "shard 2/3 missing" -- "$marketsim" merge "$dir/m.h5" "${s}0.h5" "${s}1.h5"
"$marketsim" run "$small" --seed 9 --shard 1/3 -o "$dir/seed9.h5" >/dev/null 2>&1
expect 2 "different overrides" -- "$marketsim" merge "$dir/m.h5" "${s}0.h5" "$dir/seed9.h5" \
  "${s}2.h5"
"$marketsim" run "$src/tests/data/experiment.toml" --shard 1/3 -o "$dir/other.h5" >/dev/null 2>&1
expect 2 "different scenario files" -- "$marketsim" merge "$dir/m.h5" "${s}0.h5" \
  "$dir/other.h5" "${s}2.h5"
"$marketsim" run "$small" --shard 1/2 -o "$dir/half.h5" >/dev/null 2>&1
expect 2 "split the run differently" -- "$marketsim" merge "$dir/m.h5" "${s}0.h5" \
  "$dir/half.h5" "${s}2.h5"
expect 1 "not a marketsim shard file" -- "$marketsim" merge "$dir/m.h5" "$dir/small.h5"
expect 2 "expected I/N" -- "$marketsim" run "$small" --shard 3/3 -o "$dir/bad.h5"
[ ! -e "$dir/m.h5" ] || fail "a refused merge wrote its output"

# The runs below: 2 cells x 6 replications of 100 hours, about 0.2 s per world.
long=(--set run.duration_h=100 --replications 6)
"$marketsim" run "$small" "${long[@]}" -o "$dir/ref.h5" --threads 2 >/dev/null 2>&1 ||
  fail "reference run failed"
journaled() { [ -e "$1" ] && [ "$(stat -c %s "$1")" -gt 24 ]; }

# SIGINT after a replication finished, then --resume: the same file as the uninterrupted run.
"$marketsim" run "$small" "${long[@]}" -o "$dir/int.h5" --threads 1 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 200); do journaled "$dir/int.h5.journal" && break; sleep 0.05; done
kill -INT "$pid"
wait "$pid"; rc=$?
[ "$rc" -eq 130 ] || fail "interrupted run exited $rc, expected 130"
[ ! -e "$dir/int.h5" ] && [ -e "$dir/int.h5.journal" ] || fail "interrupt left OUT or no journal"
expect 2 "written for another scenario" -- "$marketsim" run "$small" "${long[@]}" --seed 3 \
  --resume -o "$dir/int.h5"
"$marketsim" run "$small" "${long[@]}" --resume -o "$dir/int.h5" --threads 2 >/dev/null 2>&1 ||
  fail "resume failed"
same "$dir/ref.h5" "$dir/int.h5"
[ ! -e "$dir/int.h5.journal" ] || fail "a finished run left its journal"

# kill -9 at random moments (building, simulating, writing): OUT is never there unless complete,
# and every --resume continues from what was kept.
# 2 cells x 20 replications: about 4 s of work, killed within 0.5 s of each start.
many=(--set run.duration_h=100 --replications 20)
"$marketsim" run "$small" "${many[@]}" -o "$dir/ref20.h5" --threads 2 >/dev/null 2>&1 ||
  fail "reference run failed"
kills=0
for round in $(seq 40); do
  "$marketsim" run "$small" "${many[@]}" --resume -o "$dir/k9.h5" --threads 2 \
    >/dev/null 2>&1 &
  pid=$!
  sleep "0.$((RANDOM % 5))$((RANDOM % 10))"
  kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
  wait "$pid" 2>/dev/null
  if [ -e "$dir/k9.h5" ]; then
    same "$dir/ref20.h5" "$dir/k9.h5"
    break
  fi
done
[ -e "$dir/k9.h5" ] || "$marketsim" run "$small" "${many[@]}" --resume -o "$dir/k9.h5" \
  >/dev/null 2>&1 || fail "resume after kill -9 failed"
same "$dir/ref20.h5" "$dir/k9.h5"
[ "$kills" -ge 5 ] || fail "only $kills kills landed"
echo "kill -9 loop: $kills kills, output complete and equal after resume"

# A second run on the same output is refused before it touches the first's files.
"$marketsim" run "$small" "${long[@]}" -o "$dir/twice.h5" --threads 1 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 200); do [ -e "$dir/twice.h5.journal" ] && break; sleep 0.02; done
expect 2 "another marketsim run is writing this output" -- "$marketsim" run "$small" \
  "${long[@]}" -o "$dir/twice.h5"
wait "$pid" || fail "the first run failed after a second one was refused"
same "$dir/ref.h5" "$dir/twice.h5"

# A full disk (here a file-size limit: writes fail with EFBIG), while journaling (the long runs'
# logs) or while writing the results (small.toml: its journal is smaller than its results): a
# clear error, no crash, no OUT, the finished replications kept; --resume then finishes.
full_disk() {  # full_disk LIMIT_KB REFERENCE RUN_ARGS...
  local limit=$1 reference=$2 out rc
  shift 2
  rm -f "$dir/full.h5"*
  out=$(trap '' XFSZ; ulimit -f "$limit"; "$marketsim" run "$small" "$@" -o "$dir/full.h5" \
    --threads 2 2>&1 >/dev/null); rc=$?
  [ "$rc" -eq 1 ] || fail "full disk: exit $rc, expected 1: $out"
  grep -qE "File too large\)?; [0-9]+ finished replications are kept in .*full.h5.journal" <<<"$out" ||
    fail "full disk message: $out"
  [ ! -e "$dir/full.h5" ] && [ ! -e "$dir/full.h5.partial" ] || fail "full disk left a result"
  "$marketsim" run "$small" "$@" --resume -o "$dir/full.h5" >/dev/null 2>&1 ||
    fail "resume after a full disk failed"
  same "$reference" "$dir/full.h5"
}
full_disk 1000 "$dir/ref.h5" "${long[@]}"
full_disk 300 "$dir/small.h5"

# --no-clobber keeps an existing output, before anything runs.
cp "$dir/small.h5" "$dir/keep.h5"
expect 2 "exists, and --no-clobber keeps it" -- "$marketsim" run "$small" -o "$dir/keep.h5" \
  --no-clobber
expect 2 "exists, and --no-clobber keeps it" -- "$marketsim" merge "$dir/keep.h5" \
  "$dir"/small.s{0,1,2}.h5 --no-clobber
cmp -s "$dir/small.h5" "$dir/keep.h5" || fail "--no-clobber replaced the file"
echo "shards and resume ok"
