#!/usr/bin/env bash
# The bundled example cohort, end to end: writes the cohort (sheet, events,
# one simulator recipe per draw) from testdata/cohort/make_cohort.py,
# simulates every draw with the project's simulator (once; kept for re-runs),
# and runs vafwatch run on it.  Usage: run-example.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
OUT=${2:-example-out}
C=$OUT/cohort
mkdir -p "$C/recipes" "$C/sim"
python3 testdata/cohort/make_cohort.py --outdir "$C" --recipes "$C/recipes"
n=0
for r in "$C"/recipes/*.recipe.tsv; do
    s=$(basename "$r" .recipe.tsv)
    if [ ! -s "$C/sim/$s.bam.bai" ]; then
        "$BUILD/tests/vwsim" -r "$r" -o "$C/sim/$s" >/dev/null
        n=$((n + 1))
    fi
done
echo "simulated $n draws ($(ls "$C"/sim/*.bam | wc -l) in all) into $C/sim"
"$BUILD/src/vafwatch" run -t 2 -e "$C/events.tsv" -d "$OUT/run" "$C/cohort.tsv"
echo
echo "Lead time of molecular emergence over radiographic progression ($OUT/run/vafwatch.leadtime.tsv):"
cut -f1-6 "$OUT/run/vafwatch.leadtime.tsv" | column -t -s "$(printf '\t')"
echo
echo "Every table is in $OUT/run/ (docs/formats.md, docs/calling.md, docs/tracking.md);"
echo "the reports: $OUT/run/report/index.html (one page per patient under report/patients/)."
