#!/usr/bin/env bash
# test_cnv.sh -- vafwatch cnv on simulated plasma with known copy number.
#   test_cnv.sh VAFWATCH VWSIM TESTDATA_SIM_DIR WORK_DIR
# Truth: vwsim's PREFIX.cn_truth.tsv (pCN = 2 + TF x (CN - 2), fixed seeds).
# Tolerance of a gene's log2R: 4 sd of Poisson noise, sd = sqrt(2/N_gene + 1/N_ref)/ln 2,
# with N_gene the gene's fragments in the sample and N_ref = 10,000 fragments of the
# median reference region (the sample's and the PoN's medians add their own noise; the
# factor 2 covers the PoN side generously).
set -u
. "$(dirname "$0")/lib.sh"
VW=$1 SIM=$2 DATA=$3 W=$4
rm -rf "$W" && mkdir -p "$W" && cd "$W" || exit 1
export LC_ALL=C
check() { check_eq "$@"; }

"$SIM" -r "$DATA/cnv_tumour.recipe.tsv" -o T || exit 1
"$SIM" -r "$DATA/cnv_tumour_met.recipe.tsv" -o M || exit 1
for i in 1 2 3 4 5; do "$SIM" -r "$DATA/cnv_normal.recipe.tsv" -o N$i --seed $((200 + i)) --sample N$i || exit 1; done
# the reference windows of the recipes, as BED (0-based start)
grep -v '^#' T.cn_truth.tsv | awk -F '\t' '$5 == 2 && $1 !~ /^chr(7|12|17)$/ {print $1 "\t" $2 - 1 "\t" $3 "\tref"}' > ref.bed
check "six reference regions" 6 "$(wc -l < ref.bed | tr -d ' ')"
PON="--pon N1.bam --pon N2.bam --pon N3.bam --pon N4.bam --pon N5.bam"

# shellcheck disable=SC2086
"$VW" cnv --reference-regions ref.bed --genes ERBB2,MET,KRAS $PON --tf TUMOUR=0.2 --tf TUMOUR_MET=0.1 --output-prefix out \
    T.bam M.bam 2> err.txt
check "cnv exits 0" 0 $?
check "one row per sample x gene" 6 "$(grep -vc '^#' out.vafwatch.cnv.tsv)"
check "amplified: ERBB2 in TUMOUR, MET in TUMOUR_MET, nothing else" "TUMOUR:ERBB2 TUMOUR_MET:MET " \
    "$(awk -F '\t' '$13 == "yes" {printf "%s:%s ", $1, $2}' out.vafwatch.cnv.tsv)"
check "ERBB2 z > 3" yes "$(awk -F '\t' '$1 == "TUMOUR" && $2 == "ERBB2" {print ($9 > 3 ? "yes" : "no")}' out.vafwatch.cnv.tsv)"
# pCN against the truth of each gene window, within 4 Poisson sd
for p in T M; do
    s=$([ $p = T ] && echo TUMOUR || echo TUMOUR_MET)
    while read -r chrom st en len cn tf pcn ex n; do
        case $chrom in chr7) g=MET ;; chr12) g=KRAS ;; chr17) g=ERBB2 ;; *) continue ;; esac
        r=$(awk -F '\t' -v s="$s" -v g="$g" -v t="$pcn" '$1 == s && $2 == g {
            d = $8 - log(t / 2) / log(2); if (d < 0) d = -d
            tol = 4 * sqrt(2 / $7 + 1 / 10000) / log(2)
            printf "%s pcn %.3f truth %s |dlog2r| %.4f tol %.4f", (d < tol ? "in" : "OUT"), $10, t, d, tol }' out.vafwatch.cnv.tsv)
        case $r in in*) ok "$s $g: $r" ;; *) ko "$s $g: $r" ;; esac
    done < <(grep -v '^#' $p.cn_truth.tsv)
done
check "tumour CN of ERBB2 near 10 (TF 0.2)" yes \
    "$(awk -F '\t' '$1 == "TUMOUR" && $2 == "ERBB2" {print ($12 > 9 && $12 < 11 ? "yes" : "no")}' out.vafwatch.cnv.tsv)"
check "regions table: sample x region rows (9 ERBB2 + 27 MET + 10 KRAS bins + 6 reference)" $((2 * 52)) "$(grep -vc '^#' out.vafwatch.cnv_regions.tsv)"

# a saved PoN gives the same table; streaming gives the same table
# shellcheck disable=SC2086
"$VW" cnv --build-pon --reference-regions ref.bed --genes ERBB2,MET,KRAS --output-prefix pon N1.bam N2.bam N3.bam N4.bam N5.bam
check "--build-pon exits 0" 0 $?
"$VW" cnv --reference-regions ref.bed --genes ERBB2,MET,KRAS --pon pon.vafwatch.cnv_pon.tsv --tf TUMOUR=0.2 \
    --tf TUMOUR_MET=0.1 --output-prefix saved T.bam M.bam
if cmp -s out.vafwatch.cnv.tsv saved.vafwatch.cnv.tsv; then ok "saved PoN = PoN from BAMs"; else ko "saved PoN differs"; fi
# shellcheck disable=SC2086
"$VW" cnv --stream --reference-regions ref.bed --genes ERBB2,MET,KRAS $PON --tf TUMOUR=0.2 --tf TUMOUR_MET=0.1 \
    --output-prefix stream T.bam M.bam
if cmp -s out.vafwatch.cnv.tsv stream.vafwatch.cnv.tsv; then ok "--stream = index"; else ko "--stream differs"; fi
"$VW" cnv --reference-regions ref.bed --genes ERBB2,MET,KRAS --pon pon.vafwatch.cnv_pon.tsv --preset heracles --output-prefix her T.bam M.bam
check "heracles preset: pCN >= 2.4 calls ERBB2 and MET" "TUMOUR:ERBB2 TUMOUR_MET:MET " \
    "$(awk -F '\t' '$13 == "yes" {printf "%s:%s ", $1, $2}' her.vafwatch.cnv.tsv)"

# no PoN: z is NA, flagged, warned
"$VW" cnv --reference-regions ref.bed --genes ERBB2 --output-prefix nopon T.bam 2> nopon.err
check "no PoN exits 0" 0 $?
check "no PoN: z NA, flag no_pon" "NA no_pon,no_tf" "$(awk -F '\t' '!/^#/ {print $9, $15}' nopon.vafwatch.cnv.tsv)"
if grep -q "no panel of normals" nopon.err; then ok "no PoN warned"; else ko "no PoN not warned"; fi

# bad input: one line, exit 1, no output left
bad() { # NAME REGEX -- args
    local name=$1 re=$2; shift 3
    "$VW" cnv "$@" --output-prefix "bad_$name" T.bam > /dev/null 2> "bad_$name.err"
    local rc=$?
    if [ $rc -eq 1 ] && [ "$(wc -l < "bad_$name.err")" -eq 1 ] && grep -Eq -- "$re" "bad_$name.err" &&
       ! ls "bad_$name".vafwatch.* > /dev/null 2>&1; then
        ok "bad input ($name): $(cat "bad_$name.err")"
    else
        ko "bad input ($name): exit $rc, $(cat "bad_$name.err")"
    fi
}
printf 'chr1\t100\t200\tA\n# c\nchr1\tx\t300\tB\n' > malformed.bed
bad malformed "malformed.bed:3: not a BED line" -- -b malformed.bed
printf 'chr1\t100\t200\tA\n' > nogene.bed
bad no_reference "no reference regions" -- -b nogene.bed
printf 'chr99\t100\t200\tA\nchr1\t1000\t2000\tref\n' > contig.bed
bad contig "contig 'chr99' .* is not in the header" -- -b contig.bed
bad build "header is GRCh37 .* regions are GRCh38" -- --build GRCh38 --reference-regions ref.bed
printf 'region\t1\t2\n' > badpon.tsv
bad pon "badpon.tsv:1: column 'kind': required column missing" -- --reference-regions ref.bed --pon badpon.tsv
bad tf "no input sample" -- --reference-regions ref.bed --genes ERBB2,MET,KRAS --pon pon.vafwatch.cnv_pon.tsv --tf NOBODY=0.1

"$VW" cnv --reference-regions ref.bed T.bam > /dev/null 2>&1
check "missing -o exits 2" 2 $?
"$VW" cnv --tf 2 --reference-regions ref.bed --output-prefix x T.bam > /dev/null 2>&1
check "--tf 2 exits 2" 2 $?
"$VW" cnv --gc --reference-regions ref.bed --output-prefix x T.bam > /dev/null 2>&1
check "--gc without -f exits 2" 2 $?

finish
