#!/usr/bin/env bash
# The MPI driver: `mpirun --oversubscribe -np K marketsim run ...` writes the file one process
# writes (every dataset equal outside /timing), for 2 and 3 ranks, uneven cells, experiments'
# truth worlds, and shards run under MPI then merged.
set -uo pipefail
marketsim=$1 src=$2 mpirun=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
source "$(dirname "$0")/checks.sh"
# CI runs as root; OpenMPI refuses root without these.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi() {  # mpi RANKS marketsim-arguments...
  local ranks=$1
  shift
  "$mpirun" --oversubscribe -np "$ranks" "$marketsim" "$@" >"$dir/log" 2>&1 ||
    fail "mpirun -np $ranks marketsim $*: $(cat "$dir/log")"
}

for scenario in small experiment uneven_cells; do
  "$marketsim" run "$src/tests/data/$scenario.toml" -o "$dir/$scenario.h5" --threads 2 \
    >/dev/null 2>&1 || fail "$scenario: single-process run failed"
  mpi 2 run "$src/tests/data/$scenario.toml" -o "$dir/$scenario.np2.h5" --threads 2
  same "$dir/$scenario.h5" "$dir/$scenario.np2.h5"
  mpi 3 run "$src/tests/data/$scenario.toml" -o "$dir/$scenario.np3.h5" --threads 1
  same "$dir/$scenario.h5" "$dir/$scenario.np3.h5"
done
mpi 2 run "$src/tests/data/small.toml" --shard 0/2 -o "$dir/s0.h5" --threads 1
mpi 3 run "$src/tests/data/small.toml" --shard 1/2 -o "$dir/s1.h5" --threads 1
"$marketsim" merge "$dir/merged.h5" "$dir/s0.h5" "$dir/s1.h5" >/dev/null 2>&1 || fail "merge failed"
same "$dir/small.h5" "$dir/merged.h5"
echo "mpi ok"
