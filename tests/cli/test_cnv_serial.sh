#!/usr/bin/env bash
# test_cnv_serial.sh -- an ERBB2 amplification that appears during treatment is
# tracked, dated and counted in the lead time, from simulated serial plasma.
#   test_cnv_serial.sh VAFWATCH VWSIM JSON_VALIDATE SCHEMA WORK_DIR
#
# One patient, six monthly draws (2024-01-01 .. 2024-06-01), treatment from
# 2024-01-01, a PD scan on 2024-07-01; four normal plasmas in the sheet (the
# copy-number panel and the background model).  vwsim recipes are written here
# with fixed seeds.  Per draw i = 0..5:
#   tumour fraction TF_i  = 0.10 0.10 0.10 0.15 0.20 0.25
#   ERBB2 tumour CN       = 2    2    2    8    8    8     (the amplification appears at draw 3)
#   truncal KRAS G12D     = TF_i / 2 (heterozygous, copy-neutral: --tf-from gives TF = 2 VAF)
#   KRAS G12V             = 0 0 0 0 0.05 0.08            (an emerging mutation one draw later)
# Expected plasma copy number by the closed formula pCN = 2 + TF (CN - 2) (the ichorCNA mixture):
#   2, 2, 2, 2.9, 3.2, 3.5 -- so ERBB2 is amplified from draw 3 on and never before
# (ERBB2 window 10 kb at 2,000 fragments/kb: ~20,000 fragments, Poisson sd of pCN ~0.03).
# Expected: ERBB2_amplification emerging, first detection 2024-04-01, last negative
# 2024-03-01; it precedes KRAS G12V (emerging 2024-05-01), so it is the patient's first
# molecular detection: lead time = 2024-07-01 - 2024-04-01 = 91 days, molecular_first,
# kind amplification; CN_t = 2 + (pCN - 2) / TF near 8 at the amplified draws.
set -u
. "$(dirname "$0")/lib.sh"
VW=$1 SIM=$2 JV=$3 SCHEMA=$4 W=$5
rm -rf "$W" && mkdir -p "$W" && cd "$W" || exit 1
export LC_ALL=C
check() { check_eq "$@"; }

ERBB2="chr17	37850001	37860000"
REFS="chr1	20000001	20010000
chr3	50000001	50010000
chr5	100000001	100010000
chr9	30000001	30010000
chr14	60000001	60010000"
KRAS="chr12	25397785	25398784"   # 1 kb around G12 (chr12:25398284)
recipe() { # SEED SAMPLE TF CN G12D G12V
    printf 'seed\t%s\nsample\t%s\nbuild\tGRCh37\nnaming\tchr\nfragments_per_kb\t2000\nfragment_count\tpoisson\n' "$1" "$2"
    printf 'tumour_fraction\t%s\ncopy_number\t%s\t%s\n' "$3" "$ERBB2" "$4"
    printf 'window\t%s\n' "$ERBB2" "$KRAS"
    # the simulated genome is random per seed: fix KRAS codons 13 and 12 (+ strand, GRCh37) in every sample
    printf 'refseq\tchr12\t25398280\tGCCACC\n'
    printf '%s\n' "$REFS" | sed 's/^/window\t/'
    [ "$5" != 0 ] && printf 'variant\tchr12\t25398284\tC\tT\t%s\n' "$5"
    [ "$6" != 0 ] && printf 'variant\tchr12\t25398284\tC\tA\t%s\n' "$6"
    return 0
}
TF=(0.10 0.10 0.10 0.15 0.20 0.25)
CN=(2 2 2 8 8 8)
G12V=(0 0 0 0 0.05 0.08)
DATES=(2024-01-01 2024-02-01 2024-03-01 2024-04-01 2024-05-01 2024-06-01)
printf 'patient\tsample\tdate\tfile\ttype\n' > cohort.tsv
for i in 0 1 2 3 4 5; do
    g12d=$(awk -v t="${TF[$i]}" 'BEGIN { printf "%.4f", t / 2 }')
    recipe $((300 + i)) "P1_d$i" "${TF[$i]}" "${CN[$i]}" "$g12d" "${G12V[$i]}" > "d$i.recipe.tsv"
    "$SIM" -r "d$i.recipe.tsv" -o "d$i" > /dev/null || exit 1
    printf 'P1\tP1_d%s\t%s\td%s.bam\tplasma\n' "$i" "${DATES[$i]}" "$i" >> cohort.tsv
done
for j in 1 2 3 4; do
    recipe $((400 + j)) "P1_n$j" 0 2 0 0 > "n$j.recipe.tsv"
    "$SIM" -r "n$j.recipe.tsv" -o "n$j" > /dev/null || exit 1
    printf "P1\tP1_n%s\t2023-12-2%s\tn%s.bam\tnormal\n" "$j" "$j" "$j" >> cohort.tsv
done
printf 'patient\tdate\tevent\tdetail\nP1\t2024-01-01\ttreatment_start\ttrastuzumab\nP1\t2024-07-01\tscan\tPD\n' > events.tsv
# the regions: the ERBB2 window (a 10 kb piece of the gene) and five reference windows, BED 0-based
{ printf '%s\n' "$ERBB2" | awk -v OFS='\t' '{print $1, $2 - 1, $3, "ERBB2"}'
  printf '%s\n' "$REFS" | awk -v OFS='\t' '{print $1, $2 - 1, $3, "ref"}'; } > regions.bed

# genome-wide summaries of the draws as cnv --genome writes them (values set by hand, in any
# order, one sample not in the sheet): TF 0.10 0.10 0.09 then 0.15 0.20 0.25, intervals +/- 0.02
{ printf '#sample\ttf\ttf_lo\ttf_hi\tdetected\tllr\tploidy\tneutral_cn\tsd\tn_bins\tfga\tcin_wgii\n'
  printf 'P1_d%s\t%s\t%s\t%s\tyes\t100\t2.1\t2\t0.07\t2400\t0.1\t0.1\n' \
      3 0.15 0.13 0.17  0 0.10 0.08 0.12  4 0.20 0.18 0.22  1 0.10 0.08 0.12  5 0.25 0.23 0.27  2 0.09 0.07 0.11
  printf 'OTHER\t0.3\t0.28\t0.32\tyes\t100\t2\t2\t0.07\t2400\t0.1\t0.1\n'; } > genome.tsv
"$VW" run -e events.tsv -d out --cnv-bed regions.bed --tf-from "KRAS_G12D_c.35G>A" --genome-tsv genome.tsv \
    cohort.tsv 2> run.err
check "run --cnv-bed exits 0" 0 $?
# rises by hand: d3 over d2 (0.13 > 0.11), confirmed by d4 over d2 -> first rise 2024-04-01;
# d4 over d3 (0.18 > 0.17) confirmed by d5 (0.23 > 0.17); d5 over d4 (0.23 > 0.22), last: NA
check "run --genome-tsv: the series in date order, rises dated" \
    "P1_d0:NA:NA P1_d1:no:no P1_d2:no:no P1_d3:yes:yes P1_d4:yes:yes P1_d5:yes:NA 2024-04-01" \
    "$(awk -F '\t' '!/^#/ {printf "%s:%s:%s ", $2, $12, $13; d = $14} END {print d}' out/vafwatch.genome_series.tsv)"
check "run --genome-tsv: the sample outside the sheet is named in a warning" 1 "$(grep -c '1 of 7 samples' run.err)"
[ -s out/vafwatch.cnv.tsv ] && ok "writes vafwatch.cnv.tsv" || ko "no vafwatch.cnv.tsv"
check "one cnv row per plasma draw" 6 "$(grep -vc '^#' out/vafwatch.cnv.tsv)"
# pCN per draw against the closed formula, within 0.15 (5 sd); amplified exactly from draw 3
r=$(awk -F '\t' 'BEGIN { split("0.10 0.10 0.10 0.15 0.20 0.25", tf, " "); split("2 2 2 8 8 8", cn, " ") }
    !/^#/ { i = substr($1, 5) + 1; want = 2 + tf[i] * (cn[i] - 2); d = $10 - want; if (d < 0) d = -d
            printf "%s:%s:%s ", $1, (d < 0.15 ? "ok" : "pcn=" $10 "/" want), $13 }' out/vafwatch.cnv.tsv)
check "pCN = 2 + TF (CN - 2) per draw; amplified from draw 3" \
    "P1_d0:ok:no P1_d1:ok:no P1_d2:ok:no P1_d3:ok:yes P1_d4:ok:yes P1_d5:ok:yes " "$r"
# TF from the truncal mutation: 2 x the G12D fragment VAF that vwsim generated (its truth file:
# frag_alt / frag_depth; the sampled VAF, not the recipe's TF / 2, whose Poisson noise at ~400
# fragments is ~25 %), to the table's 4 significant digits; CN_t = 2 + (pCN - 2) / TF at every
# draw (to the table's rounding) and >= 4 (the --min-cn call) where amplified
r=$(for i in 0 1 2 3 4 5; do awk -F '\t' -v s="P1_d$i" '!/^#/ && $4 == "T" {printf "%s\t%.6g\n", s, 2 * $8 / $6}' "d$i.truth.tsv"; done |
    awk -F '\t' 'FNR == NR { want[$1] = $2; next }
        !/^#/ { d = $11 - want[$1]; if (d < 0) d = -d; if (d > 1e-3 * want[$1]) { bad++; print "tf " $1 " " $11 " want " want[$1] > "/dev/stderr" }
                c = 2 + ($10 - 2) / $11; d = c - $12; if (d < 0) d = -d; if (d > 0.01 + 0.0005 / $11) bad++
                if ($13 == "yes" && $12 < 4) bad++ } END { print bad + 0 }' - out/vafwatch.cnv.tsv)
check "TF = 2 VAF(G12D) of the simulation truth; CN_t = 2 + (pCN - 2) / TF; CN_t >= 4 where amplified" 0 "$r"
# tracking: columns patient target ... status(9) first_detection(11) last_negative(12) ... kind(28)
check "ERBB2 amplification: emerging 2024-04-01, last negative 2024-03-01" \
    "emerging 2024-04-01 2024-03-01 amplification" \
    "$(awk -F '\t' '$2 == "ERBB2_amplification" {print $9, $11, $12, $28}' out/vafwatch.track.tsv)"
check "KRAS G12V: emerging 2024-05-01 (later)" "emerging 2024-05-01" \
    "$(awk -F '\t' '$2 == "KRAS_G12V_c.35G>T" {print $9, $11}' out/vafwatch.track.tsv)"
check "KRAS G12D (truncal): pre-existing" "pre-existing" \
    "$(awk -F '\t' '$2 == "KRAS_G12D_c.35G>A" {print $9}' out/vafwatch.track.tsv)"
# lead time: first_detection(2) progression(3) lead(4) status(5) target(8) kind(18)
check "lead time counts the amplification: 91 days, molecular_first" \
    "2024-04-01 2024-07-01 91 molecular_first ERBB2_amplification amplification" \
    "$(awk -F '\t' '$1 == "P1" {print $2, $3, $4, $5, $8, $18}' out/vafwatch.leadtime.tsv)"
check "cohort group of the amplification" "ERBB2_amplification 1" \
    "$(awk -F '\t' '$1 == "ERBB2_amplification" {print $1, $2}' out/vafwatch.cohort.tsv)"
# report: pCN panel with the threshold, amplification table, the swimmer mark, valid JSON
H=out/report/patients/P1.html
if grep -q 'class="pcn"' "$H" && grep -q 'class="threshold"' "$H" && [ "$(grep -c 'class="amp"' "$H")" -eq 4 ]; then
    ok "patient page: pCN panel, threshold, 3 amplified draws + table"
else ko "patient page pCN panel"; fi
if grep -q '<h2>Amplifications</h2>' "$H" && grep -q 'ERBB2 amplification</td><td>emerging</td><td>2024-04-01' "$H"; then
    ok "amplification table row"; else ko "amplification table row"; fi
if grep -q 'class="first-amp"' out/report/index.html; then ok "swimmer marks an amplification first"; else ko "swimmer mark"; fi
python3 "$JV" "$SCHEMA" out/report/vafwatch.report.json > /dev/null && ok "report JSON valid" || ko "report JSON invalid"

# the same from the tables: track --cnv on the written cnv table gives the same tracking
"$VW" track --sheet cohort.tsv -e events.tsv --cnv out/vafwatch.cnv.tsv --output-prefix again out/vafwatch.calls.tsv
if cmp -s again.vafwatch.track.tsv out/vafwatch.track.tsv; then ok "track --cnv = run"; else ko "track --cnv differs from run"; fi
"$VW" leadtime --sheet cohort.tsv -e events.tsv --cnv out/vafwatch.cnv.tsv --output-prefix again out/vafwatch.calls.tsv
if cmp -s again.vafwatch.leadtime.tsv out/vafwatch.leadtime.tsv; then ok "leadtime --cnv = run"; else ko "leadtime --cnv differs"; fi
# without --cnv the first detection is the mutation, a month later
"$VW" leadtime --sheet cohort.tsv -e events.tsv --output-prefix nocnv out/vafwatch.calls.tsv
check "without copy number: KRAS G12V first, 61 days" "KRAS_G12V_c.35G>T 61 mutation" \
    "$(awk -F '\t' '$1 == "P1" {print $8, $4, $18}' nocnv.vafwatch.leadtime.tsv)"
# the built-in gene spans (5 kb bins) with the reference windows as --cnv-ref: the bins the
# simulation covers carry the same ratios, so ERBB2 is dated the same
grep -v ERBB2 regions.bed | cut -f1-3 > refs.bed
"$VW" run -e events.tsv -d builtin --cnv-builtin --cnv-ref refs.bed --tf-from "KRAS_G12D_c.35G>A" cohort.tsv 2> /dev/null
check "run --cnv --cnv-ref exits 0" 0 $?
check "built-in spans: ERBB2 amplified from draw 3, emerging 2024-04-01" \
    "no no no yes yes yes|emerging 2024-04-01 2024-03-01" \
    "$(awk -F '\t' '$2 == "ERBB2" {printf "%s%s", s, $13; s = " "}' builtin/vafwatch.cnv.tsv)|$(awk -F '\t' '$2 == "ERBB2_amplification" {print $9, $11, $12}' builtin/vafwatch.track.tsv)"
"$VW" run -e events.tsv -d bad --cnv-builtin cohort.tsv 2> bad.err
check "--cnv without reference regions: exit 1" 1 $?
# usage errors
"$VW" run -e events.tsv -d bad --cnv-builtin --cnv-bed regions.bed cohort.tsv 2> /dev/null
check "--cnv with --cnv-bed: exit 2" 2 $?
"$VW" run -e events.tsv -d bad --tf-from "KRAS_G12D_c.35G>A" cohort.tsv 2> /dev/null
check "--tf-from without copy number: exit 2" 2 $?
"$VW" run -e events.tsv -d bad --cnv-bed regions.bed --tf-from NOPE cohort.tsv 2> bad.err
check "--tf-from an unknown id: exit 1" 1 $?
printf '#sample\ttf\ttf_lo\ttf_hi\tdetected\tllr\tploidy\tneutral_cn\tfga\tcin_wgii\nP1_d0\t1.5\t0\tNA\tno\t0\t2\t2\t0\t0\n' > badg.tsv
"$VW" run -e events.tsv -d bad --genome-tsv badg.tsv cohort.tsv 2> bad.err
check "--genome-tsv with a TF above 1: exit 1, file:line and column" "1 1" "$? $(grep -c "badg.tsv:2: column 'tf'" bad.err)"

finish
