#!/usr/bin/env bash
# docs/scenario.md embeds exactly what `marketsim list --markdown` prints (the same declarations
# the loader validates against), and every scenario in scenarios/ and bench/ is valid.
set -euo pipefail
marketsim=$1 src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$marketsim" list --markdown >"$dir/generated.md"
sed -n '/<!-- BEGIN GENERATED REFERENCE -->/,/<!-- END GENERATED REFERENCE -->/p' \
  "$src/docs/scenario.md" | sed '1d;$d' >"$dir/documented.md"
if ! diff -u "$dir/documented.md" "$dir/generated.md"; then
  echo "FAIL: docs/scenario.md is out of date; run scripts/update-docs" >&2
  exit 1
fi
for f in "$src"/scenarios/*.toml "$src"/bench/*.toml; do
  "$marketsim" validate "$f"
done
