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
echo "The two simulated clones, draw by draw (fragments; VAF = alt_count / depth):"
awk -F'\t' 'BEGIN { OFS = "\t" }
    NR == 1 { print "sample", "target", "depth", "ref", "alt", "VAF %", "alt median length", "ref median length" }
    $6 ~ /^(KRAS_G12D|NRAS_Q61K)/ { print $1, $6, $10, $11, $12, sprintf("%.3f", 100 * $12 / $10), $22, $21 }' \
    "$OUT/example.vafwatch.counts.tsv" | column -t -s "$(printf '\t')"
