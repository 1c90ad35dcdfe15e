#!/usr/bin/env bash
# bench_patient.sh -- tumour-informed monitoring: (1) the patient-level
# test's simulation with 1,000 draws a setting (the unit test runs 100),
# and the series' false molecular progression on null series (SERIES=400
# patients a setting; the unit test runs 100 at 50 loci);
# (2) the time of 'vafwatch run' with 200 patient loci x 20 draws against
# the catalogue-only run of the same draws and against the same 200 loci
# given with -T (counted and called as catalogue rows), beside samtools
# reading the same regions.  The reads lie at the 200 loci only (a
# tumour-informed panel), so the catalogue-only run reads almost nothing.  A benchmark, not a test (docs/benchmarks.md).
#   tests/bench/bench_patient.sh BUILD_DIR WORK_DIR [DRAWS]
set -eu
. "$(dirname "$0")/../cli/lib.sh"
B=$(cd "$1" && pwd) W=$2 DRAWS=${3:-1000}
mkdir -p "$W" && cd "$W"
export LC_ALL=C
echo "== simulation: $DRAWS draws a setting (fixed seed)"
VW_PATIENT_SIM_DRAWS=$DRAWS "$B/tests/test_patient" 2>&1 | sed -n '/^loci/,/^ *200 .*1e-03/p'
echo "== series over time: false molecular progression on null series, ${SERIES:=400} patients a setting (fixed seed)"
VW_PATIENT_SERIES_PATIENTS=$SERIES "$B/tests/test_patient_series" 2>&1 | sed -n '/^loci/,/^ *200 .*rise/p'

echo "== run: 200 patient loci x 20 draws"
POS=()
for k in $(seq 0 199); do POS+=($((30000000 + k * 5000))); done
LOCI_CHROM=chr3 LOCI_HALF=150 LOCI_FRAGMENTS=1000 # loci_recipe, loci_targets (tests/cli/lib.sh)
loci_targets 'R%03d' >P1.targets.tsv
printf 'patient\tsample\tdate\tfile\ttype\n' >catalogue_only.tsv
printf 'patient\tsample\tdate\tfile\ttype\ttargets\n' >informed.tsv
for i in $(seq 0 19); do
    f=$(awk -v i="$i" 'BEGIN { printf "%.6f", i < 10 ? 0.001 / (i + 1) : 0 }')
    d=$(date -u -d "2024-01-01 + $((i * 30)) days" +%F)
    [ -e "d$i.bam" ] || { loci_recipe $((900 + i)) "P1_d$i" "$f" >"d$i.recipe"; "$B/tests/vwsim" -r "d$i.recipe" -o "d$i" >/dev/null; }
    printf 'P1\tP1_d%s\t%s\td%s.bam\tplasma\n' "$i" "$d" "$i" >>catalogue_only.tsv
    printf 'P1\tP1_d%s\t%s\td%s.bam\tplasma\tP1.targets.tsv\n' "$i" "$d" "$i" >>informed.tsv
done
printf 'patient\tdate\tevent\tdetail\nP1\t2024-01-02\ttreatment_start\tx\n' >events.tsv
best() { # best wall time of 2 runs of "$@", in seconds
    local b=
    for r in 1 2; do
        local t0 t1
        t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
        b=$(awk -v a="$t0" -v z="$t1" -v b="$b" 'BEGIN { t = z - a; print (b == "" || t < b) ? t : b }')
    done
    echo "$b"
}
regions=$(awk 'NR > 1 { printf "%s:%d-%d ", $1, $2 - 150, $2 + 149 }' P1.targets.tsv)
ts=$(best bash -c "for i in \$(seq 0 19); do samtools view -c d\$i.bam $regions >/dev/null; done")
tc=$(best "$B/src/vafwatch" run --quiet --no-cache -e events.tsv -d out_cat catalogue_only.tsv)
tt=$(best "$B/src/vafwatch" run --quiet --no-cache -T P1.targets.tsv -e events.tsv -d out_t catalogue_only.tsv)
ti=$(best "$B/src/vafwatch" run --quiet --no-cache -e events.tsv -d out_inf informed.tsv)
printf '%-58s %8s\n' "command" "wall (s)"
printf '%-58s %8.2f\n' "samtools view -c (20 draws, the 200 windows)" "$ts"
printf '%-58s %8.2f\n' "vafwatch run (catalogue only)" "$tc"
printf '%-58s %8.2f\n' "vafwatch run -T (catalogue + the 200 loci for everyone)" "$tt"
printf '%-58s %8.2f\n' "vafwatch run (catalogue + 200 patient targets, column)" "$ti"
awk -v a="$ti" -v b="$tc" -v t="$tt" -v s="$ts" 'BEGIN { printf "ratios: informed / catalogue-only %.2f; informed / -T %.2f; informed / samtools %.2f\n", a / b, a / t, a / s }'
echo "patient-level rows:"
cut -f2,5,8,9,10,11,12,14,15,16 out_inf/vafwatch.patient.tsv
