#!/usr/bin/env bash
# report, plot and ope on results files that are truncated, byte-flipped, foreign or hostile (wrong
# types and ranks, huge declared dimensions, soft and external links, a group containing itself):
# each ends in a clean error (exit 1 or 2, a few lines, no HDF5 error stack, no traceback), never
# a crash (exit >= 128) or an allocation beyond the address-space cap set here. Byte-flipped
# copies may also read successfully where the flips hit raw data, but must not crash either.
set -uo pipefail
marketsim=$1 src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
source "$(dirname "$0")/checks.sh"

"$marketsim" run "$src/tests/data/experiment.toml" -o "$dir/good.h5" --threads 2 >/dev/null ||
  fail "cannot write the results file"
"$marketsim" report "$dir/good.h5" >/dev/null || fail "report fails on a good file"

/usr/bin/python3 - "$dir" <<'PY' || fail "cannot build the hostile files"
import os, sys
import h5py, numpy as np

d = sys.argv[1]
good = open(os.path.join(d, "good.h5"), "rb").read()
open(os.path.join(d, "truncated_half.h5"), "wb").write(good[: len(good) // 2])
open(os.path.join(d, "truncated_head.h5"), "wb").write(good[:4096])
# Byte flips: the superblock and root object header (metadata) and seeded spots through the file.
rng = np.random.default_rng(11)
spots = {"super": [8, 9, 12, 20, 28, 40, 44], "root": list(range(48, 200, 17))}
for seed in range(8):
    spots[f"seed{seed}"] = sorted(rng.integers(0, len(good), size=16).tolist())
for name, offsets in spots.items():
    data = bytearray(good)
    for o in offsets:
        data[o] ^= 0xFF
    open(os.path.join(d, f"flip_{name}.h5"), "wb").write(bytes(data))

with h5py.File(os.path.join(d, "foreign.h5"), "w") as f:
    f["x"] = np.arange(10)
    f.attrs["title"] = "not marketsim"


def marked(name):
    f = h5py.File(os.path.join(d, name), "w")
    f.attrs["format"] = "marketsim"
    f.attrs["format_version"] = np.int32(1)
    f.attrs["complete"] = np.int32(1)
    return f


def cells(f):
    f.create_group("cells").create_dataset("name", data=["base"], dtype=h5py.string_dtype())


with marked("wrong_types.h5") as f:
    f.attrs["replications"] = "many"
    cells(f)
    for group in ("summary", "impressions", "candidates"):
        g = f.create_group(group)
        for col in ("cell", "replication", "revenue", "clicks", "slot_propensity", "score"):
            g[col] = np.array([b"a", b"b"])
with marked("wrong_ranks.h5") as f:
    cells(f)
    for group in ("summary", "impressions", "candidates"):
        g = f.create_group(group)
        for col in ("cell", "replication", "revenue", "clicks", "slot_propensity", "score"):
            g[col] = np.zeros((3, 4, 5))
with h5py.File(os.path.join(d, "format_array.h5"), "w") as f:
    f.attrs["format"] = np.array([b"marketsim"] * 64)
    f.attrs["format_version"] = np.arange(4096)
with marked("huge.h5") as f:
    cells(f)
    for group in ("summary", "impressions", "candidates", "series"):
        g = f.create_group(group)
        for col in ("cell", "replication", "revenue", "clicks", "slot_propensity", "score"):
            g.create_dataset(col, shape=(2**40,), dtype="f8", chunks=(1024,))
with marked("links.h5") as f:
    f["summary"] = h5py.SoftLink("/summary")
    f["cells"] = h5py.ExternalLink("/nonexistent/elsewhere.h5", "/cells")
    f["impressions"] = h5py.SoftLink("/impressions/loop")
with marked("cycle.h5") as f:
    for group in ("summary", "cells", "series", "experiments", "ope", "impressions"):
        g = f.create_group(group)
        g["self"] = g
        g["up"] = f
PY

# 4 GiB of address space: an unbounded allocation fails instead of swapping. Not under
# AddressSanitizer (the sanitizer CI job), which reserves terabytes of address space for its
# shadow memory and reports an unbounded allocation itself (allocation-size-too-big). ldd's output
# is read whole: `ldd | grep -q` under pipefail fails when grep exits first and ldd gets SIGPIPE.
case $(ldd "$marketsim") in
  *libasan*) ;;
  *) ulimit -v 4194304 ;;
esac
outcome() {  # outcome ALLOWED FILE command...: exits in ALLOWED, cleanly
  local allowed=$1 file=$2 out rc; shift 2
  out=$("$@" 2>&1); rc=$?
  [ "$rc" -lt 128 ] || fail "'$*' crashed (exit $rc): $(tail -n 5 <<<"$out")"
  grep -qw -- "$rc" <<<"$allowed" || fail "'$*' exited $rc, expected one of $allowed: $out"
  if [ "$rc" -ne 0 ]; then
    grep -qE "HDF5-DIAG|Traceback|#[0-9]+: " <<<"$out" && fail "'$*' printed an error stack: $out"
    [ "$(wc -l <<<"$out")" -le 3 ] || fail "'$*' printed more than 3 lines: $out"
  fi
  printf '%-22s %-7s exit %s: %s\n' "$(basename "$file")" "$2" "$rc" "$(tail -n 1 <<<"$out" | cut -c 1-100)"
}
for file in "$dir"/*.h5; do
  case $(basename "$file") in
    good.h5) continue ;;
    flip_*) allowed="0 1 2" ;;
    *) allowed="1 2" ;;
  esac
  outcome "$allowed" "$file" "$marketsim" report "$file"
  outcome "$allowed" "$file" "$marketsim" ope "$file" --set recommender.explorer.type=greedy
  outcome "$allowed" "$file" "$marketsim" plot "$file" -o "$dir/plots"
done
