#!/usr/bin/env bash
# Exit codes and messages: 0 ok, 2 for bad usage or scenarios (with FILE:LINE:COL: KEY), 130 for
# an interrupted run, and no output file left behind by a failed or interrupted run.
set -uo pipefail
marketsim=$1 src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
source "$(dirname "$0")/checks.sh"

expect 0 "marketsim [0-9]+\.[0-9]+\.[0-9]+" -- "$marketsim" --version
expect 0 "epsilon_greedy" -- "$marketsim" list
expect 0 "valid" -- "$marketsim" validate "$src/tests/data/small.toml"
expect 2 "" -- "$marketsim"
expect 2 "" -- "$marketsim" frobnicate
expect 2 "" -- "$marketsim" run --threads 0 "$src/tests/data/small.toml"
expect 2 "cannot read" -- "$marketsim" validate "$dir/missing.toml"

printf '[run]\nreplications = 2\n\n[users]\ncout = 5\n' >"$dir/typo.toml"
expect 2 "typo.toml:5:1: users.cout: .*did you mean" -- "$marketsim" validate "$dir/typo.toml"
expect 2 "typo.toml:5:1: users.cout" -- "$marketsim" run "$dir/typo.toml" -o "$dir/typo.h5"
[ ! -e "$dir/typo.h5" ] && [ ! -e "$dir/typo.h5.partial" ] || fail "invalid run left a file"

printf '[recommender.explorer.epsilon_greedy]\nepsilon = 1.5\n' >"$dir/range.toml"
expect 2 "range.toml:2:11: recommender.explorer.epsilon_greedy.epsilon: must be in \[0, 1\]" \
  -- "$marketsim" validate "$dir/range.toml"
expect 2 "users.count" -- "$marketsim" validate "$src/tests/data/small.toml" --set users.count=0
expect 2 "position_bias" -- "$marketsim" validate "$src/tests/data/small.toml" \
  --set partners.slots=12
# An input that is not a scenario file (here endless) is refused after 4 MiB, not read to the end.
expect 2 "/dev/zero: not a scenario file: larger than 4 MiB" -- "$marketsim" validate /dev/zero
# A key of 50 000 dotted parts (which overflowed toml++'s stack) is refused before parsing.
{ printf 'x'; printf '.a%.0s' $(seq 50000); printf ' = 1\n'; } >"$dir/deep.toml"
expect 2 "deep.toml:1:130: a key with more than 64 dotted parts" \
  -- "$marketsim" validate "$dir/deep.toml"
# A quoted key holding control characters is shown escaped: the error stays one line (fuzzer).
printf '"us\\ners\\u0001" = 1\n' >"$dir/control.toml"
expect 2 'control.toml:1:1: us\\ners\\x01: unknown key' -- "$marketsim" validate "$dir/control.toml"
[ "$("$marketsim" validate "$dir/control.toml" 2>&1 | wc -l)" -eq 1 ] || fail "error not one line"
# toml++'s own messages can quote a newline too ("saw '+i\n'"): escaped as well (fuzzer).
printf 'a = +i\n' >"$dir/inf.toml"
expect 2 "inf.toml:1:7: .*expected 'inf', saw '\+i\\\\n'" -- "$marketsim" validate "$dir/inf.toml"
# An unknown key megabytes long is named by its start, not echoed whole.
{ printf '[users]\n'; head -c 3000000 /dev/zero | tr '\0' 'k'; printf ' = 1\n'; } >"$dir/huge.toml"
expect 2 "huge.toml:2:1: users.k+\.\.\. \(3000006 characters\): unknown key" \
  -- "$marketsim" validate "$dir/huge.toml"
[ "$("$marketsim" validate "$dir/huge.toml" 2>&1 | wc -c)" -lt 400 ] || fail "huge key echoed whole"
# validate builds the policies a run builds: settings they refuse fail there, naming the key set.
printf '[recommender.pacer]\ntype = "pid"\n\n[recommender.pacer.pid]\nmax_multiplier = 0.001\n' \
  >"$dir/pid.toml"
expect 2 "pid.toml:5:18: recommender.pacer.pid.max_multiplier: min_multiplier \(0.01\) must not" \
  -- "$marketsim" validate "$dir/pid.toml"
expect 2 "recommender.pacer.throttle.initial_probability: initial_probability \(0.1\)" \
  -- "$marketsim" validate "$src/tests/data/small.toml" --set recommender.pacer.type=throttle \
  --set recommender.pacer.throttle.initial_probability=0.1 \
  --set recommender.pacer.throttle.min_probability=0.5
expect 2 "recommender.auction.vcg.position_ctr: needs one value per slot" \
  -- "$marketsim" validate "$src/tests/data/small.toml" --set recommender.auction.type=vcg \
  --set "recommender.auction.vcg.position_ctr=[1.0]"
# Output paths that cannot take the results fail before anything is simulated.
mkdir "$dir/out_dir"
expect 2 "out_dir: is a directory" -- "$marketsim" run "$src/tests/data/small.toml" \
  -o "$dir/out_dir"
cp "$src/tests/data/small.toml" "$dir/own.toml"
expect 2 "own.toml: is an input file" -- "$marketsim" run "$dir/own.toml" -o "$dir/own.toml"
cmp -s "$src/tests/data/small.toml" "$dir/own.toml" || fail "the scenario was overwritten"
touch "$dir/plain"
expect 2 "cannot create directory .*plain: Not a directory" \
  -- "$marketsim" run "$src/tests/data/small.toml" -o "$dir/plain/out.h5"
[ -z "$(ls "$dir/out_dir")" ] && [ ! -e "$dir/own.toml.partial" ] || fail "refused run wrote files"
# Return rates that would round return delays to 0 us (simulated time would stop) are refused.
printf '[users]\nsatisfaction_effect = 50\ninitial_satisfaction = 0\n' >"$dir/livelock.toml"
expect 2 "livelock.toml:2:23: users.satisfaction_effect: a fully satisfied user would return" \
  -- "$marketsim" validate "$dir/livelock.toml"
# Absurd sizes are refused before anything is built, naming the key and the estimate.
expect 0 "estimated peak memory .*, CPU .* transactions" \
  -- "$marketsim" validate "$src/tests/data/small.toml"
expect 2 "users.count: must be in" \
  -- "$marketsim" validate "$src/tests/data/small.toml" --set users.count=1000000000000
expect 2 "run.duration_h: must be in" \
  -- "$marketsim" validate "$src/tests/data/small.toml" --set run.duration_h=48000000
printf '[run]\nlog_every = 1\nduration_h = 100\n[partners]\ntransactions_per_hour = 1e6\n' \
  >"$dir/memory.toml"
expect 2 "memory.toml:2:13: run.log_every: needs more memory than this machine has .*estimated peak" \
  -- "$marketsim" validate "$dir/memory.toml"
expect 2 "run.log_every: needs more memory" -- "$marketsim" run "$dir/memory.toml" -o "$dir/mem.h5"
[ ! -e "$dir/mem.h5" ] && [ ! -e "$dir/mem.h5.partial" ] || fail "refused run wrote files"
# A model too large for the machine: refused naming its role (2^26 rows of 256 floats, 206 GB a
# world, one per hardware thread).
printf '[recommender.ranker]\ntype = "dcn_v2"\n[recommender.ranker.dcn_v2]\nembedding_dim = 256\n' \
  >"$dir/model.toml"
printf '[recommender.ranker.features]\nhash_bits = 26\n[run]\nreplications = 64\n' >>"$dir/model.toml"
expect 2 "model.toml:2:8: recommender.ranker.type: needs more memory than this machine has" \
  -- "$marketsim" validate "$dir/model.toml"
# One that fits the machine but not the process's address space (3.3 GB under a 2 GiB cap; not
# under AddressSanitizer, which reserves terabytes for its shadow memory) ends in a clean error.
case $(ldd "$marketsim") in
  *libasan*) ;;
  *)
    sed 's/embedding_dim = 256/embedding_dim = 16/; s/hash_bits = 26/hash_bits = 24/' \
      "$dir/model.toml" | sed '/^\[run\]/,$d' >"$dir/tight.toml"
    expect 1 "marketsim: out of memory: fewer --threads or a smaller scenario need less" -- bash -c \
      "ulimit -v 2097152; '$marketsim' run '$dir/tight.toml' --set run.duration_h=1.0 \
       --set users.count=10000 --threads 1 -o '$dir/tight.h5'"
    [ ! -e "$dir/tight.h5" ] || fail "a run out of memory wrote its file"
    ;;
esac
printf '[run]\nduration_h = 100000\nlog_every = 0\noracle_every = 0\nlatency_sample_every = 0\n' \
  >"$dir/cpu.toml"
printf '[partners]\ntransactions_per_hour = 1e6\n' >>"$dir/cpu.toml"
expect 2 "cpu.toml:2:14: run.duration_h: above the cap of 30 days of CPU" \
  -- "$marketsim" validate "$dir/cpu.toml"

# An interrupted batch (SIGINT, SIGTERM or SIGHUP) exits 130, keeps finished replications in
# OUT.partial, leaves no OUT.
for signal in INT TERM HUP; do
  rm -f "$dir/long.h5.partial"
  "$marketsim" run "$src/tests/data/small.toml" --set run.duration_h=2000 --replications 4 \
    --threads 1 -o "$dir/long.h5" >/dev/null 2>&1 &
  pid=$!
  sleep 2
  kill -"$signal" "$pid"
  wait "$pid"; rc=$?
  [ "$rc" -eq 130 ] || fail "run stopped by SIG$signal exited $rc, expected 130"
  [ ! -e "$dir/long.h5" ] || fail "run stopped by SIG$signal left the final file"
  [ -e "$dir/long.h5.partial" ] || fail "run stopped by SIG$signal kept no partial file"
done
# Interrupted while a 20-million-user world is being built (seconds of work): stops within 2 s.
"$marketsim" run "$src/tests/data/small.toml" --set users.count=20000000 --threads 1 \
  -o "$dir/build.h5" >/dev/null 2>&1 &
pid=$!
sleep 0.5
start=$(date +%s%N)
kill -INT "$pid"
wait "$pid"; rc=$?
took_ms=$((($(date +%s%N) - start) / 1000000))
[ "$rc" -eq 130 ] || fail "run interrupted while building exited $rc, expected 130"
[ "$took_ms" -lt 2000 ] || fail "run interrupted while building took $took_ms ms to stop"
echo "exit codes ok"
