#!/usr/bin/env bash
# Memory check under valgrind (memcheck): the unit tests, every row of the
# error-contract table, and the example run.  Any invalid access, use of
# uninitialised memory or definite leak fails.
#   tests/valgrind.sh [BUILD_DIR]      (a normal, non-sanitizer build)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=$(cd "${1:-build}" && pwd) # absolute: the error table runs in its fixture folder
command -v valgrind >/dev/null || { echo "valgrind not found"; exit 1; }
VG="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite"
rc=0
echo "valgrind: unit tests"
meson test -C "$BUILD" --setup valgrind --suite unit --print-errorlogs >/dev/null || { echo "valgrind: unit tests FAILED (see $BUILD/meson-logs/testlog-valgrind.txt)"; rc=1; }
echo "valgrind: error-contract table"
# an absolute fixture folder (sheets name their files relative to themselves)
# and absolute tools (the fixture writer is found beside vwparse)
# Rows that point TMPDIR at a missing folder are left out here (valgrind keeps
# its own files in TMPDIR, so it cannot start there); the sanitizer pass runs them.
grep -v 'TMPDIR=' tests/cli/errors.tst >"$BUILD/valgrind-errors.tst"
VW_WRAP=$VG bash tests/cli/run_tst.sh "$BUILD/valgrind-errors.tst" "$BUILD/src/vafwatch" "$BUILD/tests/vwparse" \
    "$BUILD/valgrind-errors" | grep -v '^ok' || rc=1
echo "valgrind: example run"
# vafwatch run on two patients of the example cohort (26 draws: count, self
# background, call, track, lead time, reports) under memcheck; its tables must
# equal those of the run without valgrind.
OUT=$BUILD/valgrind-example
scripts/run-example.sh "$BUILD" "$OUT" >/dev/null
awk -F'\t' 'NR == 1 || $1 == "CRC01" || $1 == "CRC04"' "$OUT/cohort/cohort.tsv" >"$OUT/cohort/two.tsv"
awk -F'\t' 'NR == 1 || $1 == "CRC01" || $1 == "CRC04"' "$OUT/cohort/events.tsv" >"$OUT/cohort/two.events.tsv"
rm -rf "$OUT/vg" "$OUT/plain"
"$BUILD/src/vafwatch" run --quiet -e "$OUT/cohort/two.events.tsv" -d "$OUT/plain" "$OUT/cohort/two.tsv"
if $VG "$BUILD/src/vafwatch" run --quiet -e "$OUT/cohort/two.events.tsv" -d "$OUT/vg" "$OUT/cohort/two.tsv"; then
    same=1
    for f in calls track series leadtime cohort; do
        cmp -s "$OUT/vg/vafwatch.$f.tsv" "$OUT/plain/vafwatch.$f.tsv" || same=0
    done
    [ $same = 1 ] && echo "ok   example run clean under valgrind, same tables" \
        || { echo "FAIL example output differs under valgrind"; rc=1; }
else
    echo "FAIL example run under valgrind"; rc=1
fi
exit $rc
