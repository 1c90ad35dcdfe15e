#!/usr/bin/env bash
# Simulates the bundled example draws (testdata/example/*.recipe.tsv) and
# counts them.  Usage: run-example.sh BUILD_DIR OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
OUT=${2:-example-out}
mkdir -p "$OUT"
for r in testdata/example/*.recipe.tsv; do
    name=$(basename "$r" .recipe.tsv)
    [ -f "$OUT/$name.bam" ] || "$BUILD/tests/vwsim" -r "$r" -o "$OUT/$name"
done
"$BUILD/src/vafwatch" count -t 2 -o "$OUT/example.vafwatch.counts.tsv" --json "$OUT/example.vafwatch.counts.json" \
    "$OUT"/*.bam
echo "Counts of every hotspot in every draw: $OUT/example.vafwatch.counts.tsv"
awk -F'\t' 'NR == 1 || $12 > 0' "$OUT/example.vafwatch.counts.tsv" | cut -f1,6,10-12 | column -t
