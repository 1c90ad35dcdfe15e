#!/usr/bin/env bash
# -r/--region and -R/--regions-file of count, model build and call: only the
# targets that overlap the regions.  Usage: test_region.sh VAFWATCH
set -u
VW=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

# two contigs, three targets; 30 bp reads of A at the positions below.  Depths
# by hand: sim1:10 is covered by the reads at 1 and 5 (2), sim1:50 by the read
# at 41 (1), sim2:20 by the reads at 5 and 11 (2).
a30=$(printf 'A%.0s' $(seq 30)) q30=$(printf 'I%.0s' $(seq 30))
{
    printf '@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:100\n@SQ\tSN:sim2\tLN:100\n@RG\tID:g\tSM:S1\n'
    for p in 1 5 11 41; do printf 'a%s\t0\tsim1\t%s\t60\t30M\t*\t0\t0\t%s\t%s\tRG:Z:g\n' $p $p "$a30" "$q30"; done
    for p in 5 11; do printf 'b%s\t0\tsim2\t%s\t60\t30M\t*\t0\t0\t%s\t%s\tRG:Z:g\n' $p $p "$a30" "$q30"; done
} >s.sam
printf 'chrom\tpos\tref\talt\nsim1\t10\tA\tC\nsim1\t50\tA\tC\nsim2\t20\tA\tC\n' >t.tsv
count() { "$VW" count --no-builtin -T t.tsv --stream "$@" s.sam 2>/dev/null | grep -v '^#'; }
rows() { count "$@" | awk -F'\t' '{ printf "%s:%s=%s ", $2, $3, $10 }'; }

check_eq "no region: every target, depths as counted by hand" "sim1:10=2 sim1:50=1 sim2:20=2 " "$(rows)"
check_eq "-r CHR:BEG-END" "sim1:50=1 " "$(rows -r sim1:40-60)"
check_eq "-r CHR" "sim1:10=2 sim1:50=1 " "$(rows -r sim1)"
check_eq "-r CHR:POS,CHR (comma-separated)" "sim1:10=2 sim2:20=2 " "$(rows -r sim1:10,sim2)"
check_eq "-r repeated" "sim1:50=1 sim2:20=2 " "$(rows -r sim1:50 -r sim2:1-100)"
check_eq "--region with a 'chr' prefix matches the bare contig" "sim1:50=1 " "$(rows --region chrsim1:50)"
printf 'sim2\t19\t20\n' >r.bed
check_eq "-R BED (0-based start)" "sim2:20=2 " "$(rows -R r.bed)"
full=$(count | grep -P '^S1\tsim2\t20\t')
check_eval "the row kept is the unrestricted row, column for column" '[ -n "$full" ] && [ "$full" = "$(count --regions-file r.bed)" ]'
printf 'sim2\t20\t21\n' >none.bed
expect 1 "no target lies in .*none.bed" -- "$VW" count --no-builtin -T t.tsv --stream -R none.bed s.sam
expect 1 "no target lies in the --region given" -- "$VW" count --no-builtin -T t.tsv --stream -r sim1:60-70 s.sam
expect 2 "--region: cannot read 'sim1:9-x'" -- "$VW" count --no-builtin -T t.tsv --stream -r sim1:9-x s.sam
expect 2 "--region: cannot read" -- "$VW" count --no-builtin -T t.tsv --stream -r :5 s.sam
expect 1 "nothere.bed" -- "$VW" count --no-builtin -T t.tsv --stream -R nothere.bed s.sam

# call and model on an evidence table: the same restriction (no warning about
# the rows left out on purpose)
"$VW" count --no-builtin -T t.tsv --stream -o ev.tsv s.sam 2>/dev/null
sed 's/^S1\t/S2\t/' ev.tsv | grep -v '^#self' >ev2.tsv
"$VW" call --bg-floor 1e-3 -r sim2 --output-prefix c ev.tsv 2>call.err
check_eq "call -r: calls on the region's target only" "sim2:20" \
    "$(grep -v '^#' c.vafwatch.calls.tsv | awk -F'\t' '{ printf "%s:%s", $2, $3 }')"
check_eq "call -r: no warning about rows skipped" 0 "$(grep -c 'skipped' call.err)"
"$VW" model build --min-normal-depth 1 -o m_all.tsv ev.tsv ev2.tsv 2>/dev/null
"$VW" model build --min-normal-depth 1 -R r.bed -o m.tsv ev.tsv ev2.tsv 2>/dev/null
check_eq "model build: three sites" 3 "$(grep -vc '^#' m_all.tsv)"
check_eq "model build -R: the one site of the region, as fitted on all" "$(grep -P '^sim2\t20\t' m_all.tsv)" "$(grep -v '^#' m.tsv)"
finish
