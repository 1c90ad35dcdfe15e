#!/usr/bin/env bash
# snakemake_cwl_cohort.sh -- the small cohorts the workflow tests (test_snakemake_columns.sh,
# test_cwl.sh) run the Snakemake and CWL workflows on, against 'vafwatch run':
#   DIR/tc: two patients, five draws (vwsim, fixed seeds), a cohort sheet with a 'targets'
#           column (P1's own five reporter SNVs, by base name beside the sheet) and a 'swgs'
#           column (every draw's shallow WGS as a readCounter WIG simulated by genome_calib:
#           P1 TF 0.10, 0.25, 0.05; P2 TF 0, 0.20), gc.wig, events.tsv; run.out: vafwatch run
#           on it (-T-free: the sheet's targets; --genome-gc gc.wig).
#   DIR/umi: two draws counted in molecules (vwsim umi: half the molecules duplex, strand
#           damage that duplex consensus removes), their targets, a model of every evidence
#           class (model build --count-unit molecule), run.out: vafwatch run -m MODEL
#           --count-unit molecule --class duplex.
# Usage: snakemake_cwl_cohort.sh VAFWATCH VWSIM GENOME_CALIB DIR
set -eu
. "$(dirname "$0")/lib.sh"
VW=$1 SIM=$2 GSIM=$3 D=$4
rm -rf "$D/tc" "$D/umi"
mkdir -p "$D/tc" "$D/umi"
cd "$D/tc"
export LC_ALL=C
POS=(20000000 20010000 20020000 20030000 20040000)
LOCI_CHROM=chr2 LOCI_HALF=125 LOCI_FRAGMENTS=2000 # loci_recipe, loci_targets (lib.sh)
loci_targets 'P1_L%02d' >P1.targets.tsv
printf 'patient\tsample\tdate\tfile\ttype\ttargets\tswgs\n' >cohort.tsv
# P1: fractions 3e-3, 1e-3, 0 at its loci; P2: none.  TF of the shallow WGS per draw.
set -- "P1 P1_d0 2024-01-01 0.003 0.10 701" "P1 P1_d1 2024-03-01 0.001 0.25 702" "P1 P1_d2 2024-05-01 0 0.05 703" \
       "P2 P2_d0 2024-01-15 0 0 801" "P2 P2_d1 2024-04-15 0 0.20 802"
for row in "$@"; do
    read -r pt s dt fr tf seed <<<"$row"
    loci_recipe "$seed" "$s" "$fr" >"$s.recipe"
    "$SIM" -r "$s.recipe" -o "$s" >/dev/null
    "$GSIM" wig "$s.wig" "$seed" "$tf" 2000 gc.wig >/dev/null
    printf '%s\t%s\t%s\t%s.bam\tplasma\t%s\t%s.wig\n' "$pt" "$s" "$dt" "$s" "$([ "$pt" = P1 ] && echo P1.targets.tsv)" "$s" >>cohort.tsv
done
rm -f ./*.recipe
printf 'patient\tdate\tevent\tdetail\nP1\t2024-01-01\ttreatment_start\tcetuximab\nP1\t2024-06-01\tprogression\tPD\n' >events.tsv
printf 'P2\t2024-01-15\ttreatment_start\tcetuximab\n' >>events.tsv
"$VW" run -e events.tsv --genome-gc gc.wig -d run.out cohort.tsv 2>run.err

cd "$D/umi"
for i in 3 4; do
    "$SIM" umi -o "d$i" --sites 2 --molecules 300 --vaf 0.02 --duplex 0.5 --family-mean 2 --damage 0.02 \
        --seq-error 0.005 --seed $((50 + i)) --sample "P2_d$i" >/dev/null
done
printf 'patient\tsample\tdate\tfile\ttype\nP2\tP2_d3\t2023-01-01\td3.bam\tplasma\nP2\tP2_d4\t2023-02-01\td4.bam\tplasma\n' >sheet.tsv
printf 'patient\tdate\tevent\tdetail\nP2\t2023-01-01\ttreatment_start\tx\nP2\t2023-03-01\tprogression\tPD\n' >events.tsv
"$VW" model build --no-builtin -T d3.targets.tsv --count-unit molecule --min-normal-depth 0 -o pon.tsv d3.bam d4.bam 2>/dev/null
"$VW" run -e events.tsv -d run.out --no-builtin -T d3.targets.tsv -m pon.tsv --count-unit molecule --class duplex \
    sheet.tsv 2>run.err
