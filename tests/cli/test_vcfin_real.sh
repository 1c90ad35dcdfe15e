#!/usr/bin/env bash
# vafwatch count on real VCFs of other callers (../shared/data/vcf); the
# expected numbers are those of the records themselves (MANIFEST.md).
# Usage: test_vcfin_real.sh VAFWATCH SHARED_DATA_DIR.  Exit 77 (skip) without the data.
set -u
. "$(dirname "$0")/lib.sh"
VW=$1
D=${2:-}/vcf
[ -d "$D" ] || { echo "skip: $D absent"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# row SAMPLE POS ALT in $T/out.tsv -> "depth ref alt other"
row() { awk -v s="$1" -v p="$2" -v a="$3" '$1==s && $3==p && $5==a {print $10, $11, $12, $13}' "$T/out.tsv"; }
check() { # label got want
    if [ "$2" = "$3" ]; then ok "$1: $2"; else bad "$1: got '$2', want '$3'"; fi
}

"$VW" count --build GRCh37 -o "$T/out.tsv" "$D/vcf2maf/test_strelka.vcf" 2>"$T/err" || bad "strelka exit"
check "Strelka BRAF V600E tumour" "$(row TUMOR 140453136 T)" "260 68 191 1"
check "Strelka BRAF V600E normal" "$(row NORMAL 140453136 T)" "102 102 0 0"

"$VW" count --build GRCh37 -o "$T/out.tsv" "$D/vcf2maf/test_merged.vcf" 2>"$T/err" || bad "merged exit"
check "merged KRAS G12D tumour" "$(row TUMOR 25398284 T)" "27 9 18 0"
check "merged KRAS G12D normal" "$(row NORMAL 25398284 T)" "17 17 0 0"

"$VW" count -o "$T/out.tsv" "$D/pisces/example_S1.genome.vcf" 2>"$T/err" || bad "pisces exit"
check "Pisces NRAS Q61L" "$(row example_S1.bam 115256529 A)" "54 40 11 3"
check "Pisces KRAS G12D block (alt 0)" "$(row example_S1.bam 25398284 T | cut -d' ' -f3)" "0"
n=$(awk '!/^#/ && ($1 ~ /KRAS|NRAS/ || $7 ~ /KRAS|NRAS/) && $10 != "NA" && $12 == 0' "$T/out.tsv" | wc -l)
[ "$n" -ge 20 ] && ok "Pisces: $n KRAS/NRAS hotspots assessed with alt 0" || bad "Pisces: only $n KRAS/NRAS hotspots assessed"
n=$(awk '!/^#/ && $7 == "EGFR" && $10 != "NA"' "$T/out.tsv" | wc -l)
check "Pisces: EGFR (not in the gVCF) not assessed" "$n" "0"

for f in vcf2maf/test_mutect.vcf vcf2maf/test_varscan.vcf pisces/09H-03403-MT1-1_S7.genome.vcf \
         pisces/09H-03403-MT1-1_S8.genome.vcf hd730/HD730_expected.GRCh37.vcf; do
    if "$VW" count --build GRCh37 -o "$T/out.tsv" "$D/$f" 2>"$T/err"; then ok "parses: $f"; else bad "exit $?: $f"; fi
done
"$VW" count --build GRCh37 -o "$T/out.tsv" "$D/pisces/09H-03403-MT1-1_S7.genome.vcf" 2>"$T/err"
grep -q "sum of AD .* exceeds DP" "$T/err" && ok "09H: AD sum > DP is a warning" || bad "09H: no AD/DP warning"
"$VW" count --build GRCh38 -o "$T/out.tsv" "$D/hd730/HD730_expected.GRCh38.vcf" 2>"$T/err" && ok "parses: HD730 GRCh38" || bad "HD730 GRCh38"
# a GRCh37 gVCF (##contig lengths) against GRCh38 targets is a build error
"$VW" count --build GRCh38 -o "$T/out.tsv" "$D/pisces/example_S1.genome.vcf" 2>"$T/err"
[ $? -eq 1 ] && grep -q "GRCh37" "$T/err" && ok "build mismatch: exit 1" || bad "build mismatch not caught"
# a VCF and a sample column chosen with --sample
"$VW" count --build GRCh37 -s TUMOR -o "$T/out.tsv" "$D/vcf2maf/test_strelka.vcf" 2>"$T/err"
check "--sample TUMOR selects one column" "$(awk '!/^#/ {print $1}' "$T/out.tsv" | sort -u)" "TUMOR"
"$VW" count --build GRCh37 -s PLASMA -o "$T/out.tsv" "$D/vcf2maf/test_strelka.vcf" 2>"$T/err"
[ $? -eq 1 ] && grep -q "no sample column named 'PLASMA'" "$T/err" && ok "unknown sample: exit 1" || bad "unknown sample"

finish
