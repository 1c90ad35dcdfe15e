#!/usr/bin/env bash
# Benchmark of vafwatch report on a synthetic cohort (not a timed test).
#
# Usage: tests/bench/bench_report.sh [BUILD_DIR] [PATIENTS] [DRAWS] [WORKDIR]
#   BUILD_DIR  meson build directory with src/vafwatch [build]
#   PATIENTS   patients [200]
#   DRAWS      plasma draws per patient, 28 days apart; 5 hotspots each [20]
#   WORKDIR    where the cohort and the reports go [/tmp/vafwatch-bench-report]
#
# Prints the wall time of 'vafwatch leadtime' (loading + tracking alone) and of
# 'vafwatch report' (the same plus every report file), each the best of 3 runs, and
# the sizes of the files written.
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
NP=${2:-200}
ND=${3:-20}
W=${4:-/tmp/vafwatch-bench-report}
VW=$BUILD/src/vafwatch
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$W"
python3 "$HERE/make_report_cohort.py" "$W" "$NP" "$ND"
echo "cohort: $NP patients x $ND draws, $(($(wc -l <"$W/calls.tsv") - 1)) calls"
best() { # command... -> best wall seconds of 3
    local b=""
    for _ in 1 2 3; do
        local t0 t1
        t0=$(date +%s.%N)
        "$@" >/dev/null
        t1=$(date +%s.%N)
        b=$(python3 -c "import sys; a=float(sys.argv[2])-float(sys.argv[1]); b=sys.argv[3]; print(a if b=='' else min(a,float(b)))" "$t0" "$t1" "$b")
    done
    printf '%.2f' "$b"
}
tl=$(best "$VW" leadtime --sheet "$W/cohort.tsv" -e "$W/events.tsv" --output-prefix "$W/lt" "$W/calls.tsv")
tr=$(best "$VW" report --sheet "$W/cohort.tsv" -e "$W/events.tsv" -d "$W/out" "$W/calls.tsv")
echo "vafwatch leadtime (load + track + lead time): ${tl} s"
echo "vafwatch report   (the same + all reports):   ${tr} s"
sz() { du -b "$@" | awk '{s += $1} END {printf "%.1f MB", s / 1e6}'; }
echo "index.html:             $(sz "$W/out/index.html")"
echo "vafwatch.report.json:   $(sz "$W/out/vafwatch.report.json")"
echo "patients/*.html ($NP):  $(sz "$W"/out/patients/*.html) (largest $(ls -S "$W"/out/patients/*.html | head -1 | xargs du -b | awk '{printf "%.0f kB", $1/1e3}'))"
echo "patients/*.json ($NP):  $(sz "$W"/out/patients/*.json)"
echo "all:                    $(du -sb "$W/out" | awk '{printf "%.1f MB", $1/1e6}')"
