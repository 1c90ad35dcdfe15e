#!/usr/bin/env bash
# The calls VCF as other tools read it: bcftools (FILTER, FT, per-allele INFO kept by
# "bcftools norm -m+any"), vcf-validator (Debian vcftools), ##reference and ##contig lengths.
# Skips (77) only when bcftools or vcf-validator is not installed (scripts/install-deps.sh
# installs both).  Usage: test_vcf_out.sh VAFWATCH
set -u
. "$(dirname "$0")/lib.sh"
VW=$1
for t in bcftools vcf-validator samtools; do
    command -v $t >/dev/null || { echo "SKIP: $t not installed (scripts/install-deps.sh installs it)"; exit 77; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
check() { local what=$1; shift; if "$@" >"$T/out" 2>&1; then ok "$what"; else bad "$what"; sed 's/^/    /' "$T/out" | head -8; fi; }

# Two alleles at one site (KRAS G12D C>T and G12V C>A, GRCh37 12:25398284), two samples:
# S1 detects G12D cleanly (60/5,000); S2 detects G12D with mutant fragments on one strand
# (strand_bias); neither detects G12V.  BRAF V600E (7:140453136 A>T) is detected only in S2,
# with strand bias.
H='#sample\tchrom\tpos\tref\talt\tid\tgene\tprotein\tcdna\tdepth\tref_count\talt_count\tother_count\tdiscordant\tref_fwd\tref_rev\talt_fwd\talt_rev\talt_mean_bq\talt_mean_mq\tref_median_fraglen\talt_median_fraglen\n'
{
    printf "$H"
    printf 'S1\t12\t25398284\tC\tT\tKRAS_G12D_c.35G>A\tKRAS\tp.G12D\tc.35G>A\t5000\t4940\t60\t0\t0\t2470\t2470\t30\t30\t30.0\t60.0\t167\t145\n'
    printf 'S1\t12\t25398284\tC\tA\tKRAS_G12V_c.35G>T\tKRAS\tp.G12V\tc.35G>T\t5000\t4940\t0\t60\t0\t2470\t2470\t0\t0\tNA\tNA\t167\tNA\n'
    printf 'S1\t7\t140453136\tA\tT\tBRAF_V600E_c.1799T>A\tBRAF\tp.V600E\tc.1799T>A\t4000\t4000\t0\t0\t0\t2000\t2000\t0\t0\tNA\tNA\t167\tNA\n'
    printf 'S2\t12\t25398284\tC\tT\tKRAS_G12D_c.35G>A\tKRAS\tp.G12D\tc.35G>A\t5000\t4900\t100\t0\t0\t2450\t2450\t100\t0\t30.0\t60.0\t167\t145\n'
    printf 'S2\t12\t25398284\tC\tA\tKRAS_G12V_c.35G>T\tKRAS\tp.G12V\tc.35G>T\t5000\t4900\t0\t100\t0\t2450\t2450\t0\t0\tNA\tNA\t167\tNA\n'
    printf 'S2\t7\t140453136\tA\tT\tBRAF_V600E_c.1799T>A\tBRAF\tp.V600E\tc.1799T>A\t4000\t3920\t80\t0\t0\t1960\t1960\t80\t0\t30.0\t60.0\t167\t145\n'
} >"$T/ev.tsv"
check "call with --build GRCh37" "$VW" call --build GRCh37 --bg-floor 1e-3 --adjust none --output-prefix "$T/c" "$T/ev.tsv"
V="$T/c.vafwatch.calls.vcf.gz"
check "vcf-validator accepts the VCF" bash -c "vcf-validator '$V' 2>&1 | tee '$T/vv'; ! grep -q . '$T/vv'"
check "##reference and ##contig lengths of GRCh37 (chr12 133,851,895; chr7 159,138,663)" bash -c "
    bcftools view -h '$V' | grep -qx '##reference=GRCh37' &&
    bcftools view -h '$V' | grep -qx '##contig=<ID=12,length=133851895>' &&
    bcftools view -h '$V' | grep -qx '##contig=<ID=7,length=159138663>'"
check "per-allele INFO is Number=A; FILTER lines for every flag" bash -c "
    bcftools view -h '$V' | grep -q '^##INFO=<ID=PROTEIN,Number=A' &&
    bcftools view -h '$V' | grep -q '^##INFO=<ID=GENE,Number=A' &&
    for f in possible_germline strand_bias low_alt_bq noisy_site low_depth discordant_mates not_detected; do
        bcftools view -h '$V' | grep -q \"^##FILTER=<ID=\$f,\" || exit 1; done"
check "FILTER: G12D PASS (clean in S1), G12V not_detected, V600E strand_bias" bash -c "
    bcftools query -f '%ID %FILTER\n' '$V' >'$T/f' && cat '$T/f' &&
    grep -qx 'KRAS_G12D_c.35G>A PASS' '$T/f' && grep -qx 'KRAS_G12V_c.35G>T not_detected' '$T/f' &&
    grep -qx 'BRAF_V600E_c.1799T>A strand_bias' '$T/f'"
check "FORMAT FT per sample" bash -c "
    bcftools query -i 'ID==\"BRAF_V600E_c.1799T>A\"' -f '[%FT ]\n' '$V' | grep -qx 'PASS strand_bias '"
check "bcftools view -f PASS keeps G12D only" bash -c "[ \"\$(bcftools view -H -f PASS '$V' | cut -f3)\" = 'KRAS_G12D_c.35G>A' ]"
# merging the two KRAS records into one multi-allelic record keeps both annotations
check "bcftools norm -m+any keeps both alleles' GENE, PROTEIN and CDNA" bash -c "
    bcftools norm -m+any '$V' -Ov -o '$T/m.vcf' &&
    bcftools query -i 'POS==25398284' -f '%ALT %INFO/GENE %INFO/PROTEIN %INFO/CDNA [%AD ]\n' '$T/m.vcf' | tee '$T/q' &&
    { grep -qx 'T,A KRAS,KRAS p.G12D,p.G12V c.35G>A,c.35G>T 4940,60,0 4900,100,0 ' '$T/q' ||
      grep -qx 'A,T KRAS,KRAS p.G12V,p.G12D c.35G>T,c.35G>A 4940,0,60 4900,0,100 ' '$T/q'; }"
check "the merged VCF validates too" bash -c "bgzip -c '$T/m.vcf' >'$T/m.vcf.gz' && vcf-validator '$T/m.vcf.gz' 2>&1 | tee '$T/vv2'; ! grep -q . '$T/vv2'"

# with a reference FASTA: ##reference=file://<absolute path>, lengths from its index
printf '>chr7\n%s\n' "$(head -c 300 /dev/zero | tr '\0' 'C')" >"$T/ref.fa"
samtools faidx "$T/ref.fa"
{
    printf "$H"
    printf 'S1\tchr7\t100\tC\tT\tt1\tG1\tp.A1V\tc.1C>T\t5000\t4988\t12\t0\t0\t2494\t2494\t6\t6\t30.0\t60.0\t167\t145\n'
} >"$T/ev2.tsv"
check "call with --reference" "$VW" call -f "$T/ref.fa" --bg-floor 1e-3 --output-prefix "$T/d" "$T/ev2.tsv"
check "##reference=file:// and the FASTA's contig length" bash -c "
    bcftools view -h '$T/d.vafwatch.calls.vcf.gz' | grep -qx \"##reference=file://\$(cd '$T' && pwd -P)/ref.fa\" &&
    bcftools view -h '$T/d.vafwatch.calls.vcf.gz' | grep -qx '##contig=<ID=chr7,length=300>'"
check "vcf-validator with --reference" bash -c "vcf-validator '$T/d.vafwatch.calls.vcf.gz' 2>&1 | tee '$T/vv3'; ! grep -q . '$T/vv3'"
echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
