#!/usr/bin/env bash
# Memory check under valgrind (memcheck): the unit tests, every row of the
# error-contract table, and the example run.  Any invalid access, use of
# uninitialised memory or definite leak fails.
#   tests/valgrind.sh [BUILD_DIR]      (a normal, non-sanitizer build)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
command -v valgrind >/dev/null || { echo "valgrind not found"; exit 1; }
VG="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite"
rc=0
echo "valgrind: unit tests"
meson test -C "$BUILD" --setup valgrind --suite unit --print-errorlogs >/dev/null || { echo "valgrind: unit tests FAILED (see $BUILD/meson-logs/testlog-valgrind.txt)"; rc=1; }
echo "valgrind: error-contract table"
VW_WRAP=$VG bash tests/cli/run_tst.sh tests/cli/errors.tst "$BUILD/src/vafwatch" "$BUILD/tests/vwparse" \
    "$BUILD/valgrind-errors" | grep -v '^ok' || rc=1
echo "valgrind: example run"
OUT=$BUILD/valgrind-example
scripts/run-example.sh "$BUILD" "$OUT" >/dev/null
if $VG "$BUILD/src/vafwatch" count -t 2 -o "$OUT/vg.tsv" --json "$OUT/vg.json" "$OUT"/*.bam; then
    cmp -s "$OUT/vg.tsv" "$OUT/example.vafwatch.counts.tsv" && echo "ok   example run clean, same output" \
        || { echo "FAIL example output differs under valgrind"; rc=1; }
else
    echo "FAIL example run under valgrind"; rc=1
fi
exit $rc
