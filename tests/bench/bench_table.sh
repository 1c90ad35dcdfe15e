#!/usr/bin/env bash
# Benchmark of the table reader (src/table.c) on a large calls table, side by
# side with the floor of reading the same bytes (wc -l) and a generic
# tab-separated splitter (awk -F'\t' summing one column), and optionally the
# reader of another build (before/after a change).
#
# Usage: tests/bench/bench_table.sh [BUILD_DIR] [ROWS] [WORKDIR] [OTHER_BUILD_DIR]
#   BUILD_DIR        meson build directory with tests/vwparse [build]
#   ROWS             calls-table rows [300000] (about 115 bytes each)
#   WORKDIR          where the table goes [/tmp/vafwatch-bench-table]
#   OTHER_BUILD_DIR  a second build whose tests/vwparse is timed too (optional)
#
# vwparse reads the table into memory (vw_calls_read_tsv: every row split,
# its 20 numbers parsed, its 8 strings copied) and prints the row count,
# which is checked against ROWS before times are reported.  Times are user +
# system CPU seconds (the wall clock of a shared machine says little), the
# best of three runs; memory is the peak resident set.
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
ROWS=${2:-300000}
W=${3:-/tmp/vafwatch-bench-table}
OTHER=${4:-}
mkdir -p "$W"
cd "$W"

awk -v n="$ROWS" 'BEGIN {
    OFS = "\t"
    print "#sample", "chrom", "pos", "ref", "alt", "id", "gene", "protein", "cdna", "depth", "ref_count",
          "alt_count", "other_count", "discordant", "alt_fwd", "alt_rev", "vaf", "vaf_lo", "vaf_hi", "p_value",
          "q_value", "detected", "lod95", "flags", "background", "bg_error", "copies_per_ml"
    for (i = 0; i < n; i++)
        print "S" i % 50, "chr" i % 22 + 1, 1000 + i, "A", "C", "T" i, "G", "p.X", "c.X", 1000, 990, 10, 0, 0,
              5, 5, 0.01, 0.005, 0.018, 1.5e-58, 3e-57, "yes", 0.002, ".", "pon", 0.0001, "NA"
}' >calls.tsv

# best of three: "cpu_seconds max_rss_kb"
measure() {
    local best="" rss=0
    for _ in 1 2 3; do
        /usr/bin/time -f "%U %S %M" -o t.txt "$@" >out.txt
        read -r u s m <t.txt
        local c
        c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
        if [ -z "$best" ] || awk -v a="$c" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$c; fi
        rss=$m
    done
    echo "$best $rss"
}

n=$("$BUILD/tests/vwparse" calls calls.tsv | awk '{print $1}')
[ "$n" = "$ROWS" ] || { echo "vwparse read $n rows, expected $ROWS" >&2; exit 1; }

read -r t_wc m_wc <<<"$(measure wc -l calls.tsv)"
read -r t_awk m_awk <<<"$(measure awk -F'\t' '{ s += $12 } END { print s }' calls.tsv)"
read -r t_vw m_vw <<<"$(measure "$BUILD/tests/vwparse" calls calls.tsv)"
printf '%-28s %8s %10s %12s\n' "reader ($ROWS rows, $(du -m calls.tsv | cut -f1) MB)" "cpu s" "max KB" "vs awk"
printf '%-28s %8s %10s %12s\n' "wc -l" "$t_wc" "$m_wc" "-"
printf '%-28s %8s %10s %12s\n' "awk -F'\\t' (one column)" "$t_awk" "$m_awk" "1"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
printf '%-28s %8s %10s %12s\n' "vafwatch (this build)" "$t_vw" "$m_vw" "$(ratio "$t_vw" "$t_awk")"
if [ -n "$OTHER" ]; then
    read -r t_o m_o <<<"$(measure "$OTHER/tests/vwparse" calls calls.tsv)"
    printf '%-28s %8s %10s %12s\n' "vafwatch (other build)" "$t_o" "$m_o" "$(ratio "$t_o" "$t_awk")"
fi
