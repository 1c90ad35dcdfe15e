#!/usr/bin/env bash
# vafwatch model / call end to end: usage, bad model file, VCF read by
# bcftools with the right AD, and real data (skipped when ../shared/data is
# absent).  Usage: test_call_real.sh VAFWATCH SHARED_DATA_DIR
set -u
. "$(dirname "$0")/lib.sh"
VW=$1
DATA=${2:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

# --- usage --------------------------------------------------------------------
check "call --help" bash -c "'$VW' call --help | grep -q '^Usage: vafwatch call'"
check "help call" bash -c "'$VW' help call | grep -q '^Usage: vafwatch call'"
check "model --help" bash -c "'$VW' model --help | grep -q '^Usage: vafwatch model build'"
check "model build --help" bash -c "'$VW' model build --help | grep -q '^Usage: vafwatch model build'"
"$VW" call --no-such-option x >/dev/null 2>&1; check "call bad option exit 2" test $? -eq 2
"$VW" call in.bam >/dev/null 2>"$T/err"; check "call without -o exit 2" test $? -eq 2
"$VW" model build x.bam >/dev/null 2>&1; check "model without -o exit 2" test $? -eq 2
"$VW" model fit -o m.tsv x >/dev/null 2>&1; check "model unknown subcommand exit 2" test $? -eq 2
"$VW" call --adjust foo --output-prefix p x >/dev/null 2>&1; check "--adjust foo exit 2" test $? -eq 2

# --- a hand-made evidence table: AD in the VCF, default background ---------------
H='#sample\tchrom\tpos\tref\talt\tid\tgene\tprotein\tcdna\tdepth\tref_count\talt_count\tother_count\tdiscordant\tref_fwd\tref_rev\talt_fwd\talt_rev\talt_mean_bq\talt_mean_mq\tref_median_fraglen\talt_median_fraglen\n'
{
    printf "$H"
    printf 'S1\tchr7\t100\tC\tT\tt1\tG1\tp.A1V\tc.1C>T\t5000\t4988\t12\t0\t0\t2494\t2494\t6\t6\t30.0\t60.0\t167\t145\n'
    printf 'S1\tchr7\t200\tG\tA\tt2\tG1\t.\t.\t100\t50\t50\t0\t0\t25\t25\t25\t25\t30.0\t60.0\t167\t167\n'
    printf 'S2\tchr7\t100\tC\tT\tt1\tG1\tp.A1V\tc.1C>T\t3000\t3000\t0\t0\t0\t1500\t1500\t0\t0\tNA\tNA\t167\tNA\n'
    printf 'S2\tchr7\t200\tG\tA\tt2\tG1\t.\t.\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\n'
} >"$T/ev.tsv"
"$VW" call --bg-floor 1e-3 --call-alpha 0.01 --adjust none --cfdna S1=10 --json "$T/c.vafwatch.calls.json" --output-prefix "$T/c" "$T/ev.tsv" 2>"$T/err"
check "call on a table exit 0" test $? -eq 0
check "12/5000 at error 1e-3, alpha 0.01: detected (exact binomial k*=12)" \
    bash -c "awk -F'\t' '\$1==\"S1\" && \$3==100 {print \$22, \$25}' '$T/c.vafwatch.calls.tsv' | grep -qx 'yes default'"
check "50/100: possible_germline" \
    bash -c "awk -F'\t' '\$1==\"S1\" && \$3==200 {print \$24}' '$T/c.vafwatch.calls.tsv' | grep -q possible_germline"
check "NA row: not_assessed, detected NA" \
    bash -c "awk -F'\t' '\$1==\"S2\" && \$3==200 {print \$22, \$24}' '$T/c.vafwatch.calls.tsv' | grep -qx 'NA not_assessed'"
check "copies/mL = 12/5000 x 10 x 303 = 7.272" \
    bash -c "awk -F'\t' '\$1==\"S1\" && \$3==100 {print \$27}' '$T/c.vafwatch.calls.tsv' | grep -qx 7.272"
check "JSON written" grep -q '"command"' "$T/c.vafwatch.calls.json"
check "default background warned" grep -q "default background" "$T/err"
if command -v bcftools >/dev/null; then
    check "bcftools reads the VCF: AD 4988,12 and 3000,0" \
        bash -c "bcftools query -r chr7:100 -f '[%AD;]\n' '$T/c.vafwatch.calls.vcf.gz' | grep -qx '4988,12;3000,0;'"
    check "VCF header provenance" bash -c "bcftools view -h '$T/c.vafwatch.calls.vcf.gz' | grep -q '^##vafwatchCommand=.*call'"
    check "VCF DET" bash -c "bcftools query -f '[%DET;]\n' '$T/c.vafwatch.calls.vcf.gz' | head -1 | grep -qx '1;0;'"
else
    echo "skip bcftools checks (bcftools not installed)"
fi

# --- bad model files ------------------------------------------------------------
printf 'chrom\tpos\n' >"$T/bad.model"
"$VW" call --model "$T/bad.model" --output-prefix "$T/x" "$T/ev.tsv" 2>"$T/err"
check "bad model: exit 1" test $? -eq 1
check "bad model: file:line named" grep -q "bad.model:1: not a vafwatch model file" "$T/err"
check "bad model: no output left" test ! -e "$T/x.vafwatch.calls.tsv"
printf '##vafwatch_model=1\n#chrom\tpos\tref\talt\tid\tn_normals\tdepth_total\talt_total\tmu\trho\tnoisy\nchr7\t100\tC\tT\t.\t3\t300\t1\tx\t0.001\tno\n' >"$T/bad2.model"
"$VW" call --model "$T/bad2.model" --output-prefix "$T/x" "$T/ev.tsv" 2>"$T/err"
check "bad mu: exit 1 and column named" bash -c "test $? -eq 1 && grep -q \"bad2.model:3: column 'mu'\" '$T/err'"
# a model of another panel (no site at any target) or another build is refused
printf '##vafwatch_model=1\n#chrom\tpos\tref\talt\tid\tn_normals\tdepth_total\talt_total\tmu\trho\tnoisy\nchr7\t99999\tC\tT\t.\t3\t300\t1\t0.001\t0.001\tno\n' >"$T/other.model"
"$VW" call --model "$T/other.model" --output-prefix "$T/x" "$T/ev.tsv" 2>"$T/err"
check "model of another panel: exit 1, said why" bash -c "test $? -eq 1 && grep -q 'other.model: the model has no site' '$T/err'"
check "model of another panel: no output left" test ! -e "$T/x.vafwatch.calls.tsv"
printf '##vafwatch_model=1\n##build=GRCh99\n#chrom\tpos\tref\talt\tid\tn_normals\tdepth_total\talt_total\tmu\trho\tnoisy\n' >"$T/bad3.model"
"$VW" call --model "$T/bad3.model" --output-prefix "$T/x" "$T/ev.tsv" 2>"$T/err"
check "model with an unknown build: exit 1" bash -c "test $? -eq 1 && grep -q \"bad3.model:2: field 'build'\" '$T/err'"

# --- real data --------------------------------------------------------------------
V=$DATA/reads/vardict/L861Q.bam
C=$DATA/reads/ctdnatools
if [ -z "$DATA" ] || [ ! -r "$V" ] || [ ! -r "$C/T1.bam" ]; then
    echo "skip real-data checks: $DATA not present"
else
    "$VW" call --output-prefix "$T/l" "$V" 2>"$T/err"
    check "L861Q.bam: exit 0" test $? -eq 0
    row=$(awk -F'\t' '$6 ~ /^EGFR_L861Q/' "$T/l.vafwatch.calls.tsv")
    check "EGFR L861Q detected" bash -c "echo '$row' | awk -F'\t' '\$22==\"yes\"' | grep -q ."
    check "L861Q VAF CI contains VarDict's 0.2333" \
        bash -c "echo '$row' | awk -F'\t' '\$18 <= 0.2333 && 0.2333 <= \$19' | grep -q ."
    check "L861Q background from the sample itself" bash -c "echo '$row' | awk -F'\t' '\$25==\"self\"' | grep -q ."
    check "EGFR L858R not detected" \
        bash -c "awk -F'\t' '\$6 ~ /^EGFR_L858R/ {print \$22}' '$T/l.vafwatch.calls.tsv' | grep -qx no"
    # the same from the count table: the table carries the self background,
    # so the calls are the same byte for byte
    "$VW" count -o "$T/l.counts.tsv" "$V" 2>/dev/null && "$VW" call --output-prefix "$T/l2" "$T/l.counts.tsv" 2>/dev/null
    check "call on count's table: the same calls as on the BAM" \
        cmp -s "$T/l.vafwatch.calls.tsv" "$T/l2.vafwatch.calls.tsv"
    # without the self background line: the same counts, the default background
    "$VW" count --no-self -o "$T/l3.counts.tsv" "$V" 2>/dev/null && "$VW" call --output-prefix "$T/l3" "$T/l3.counts.tsv" 2>/dev/null
    check "count --no-self: no self line, same counts, default background" bash -c \
        "! grep -q '^#self' '$T/l3.counts.tsv' && diff <(cut -f1-19 '$T/l.vafwatch.calls.tsv') <(cut -f1-19 '$T/l3.vafwatch.calls.tsv') >/dev/null && awk -F'\t' '\$6 ~ /^EGFR_L861Q/ {print \$25}' '$T/l3.vafwatch.calls.tsv' | grep -qx default"

    # normals N1..N3 as a panel for T1, T2 at user targets: the 10 positions of
    # chr14:106327322-106328049 with the most non-reference reads in T1+T2
    # (samtools mpileup, run here), each with its most frequent alt base.
    if command -v samtools >/dev/null; then
        samtools mpileup -B -Q 20 -q 20 -r chr14:106327322-106328049 "$C/T1.bam" "$C/T2.bam" 2>/dev/null |
        awk -F'\t' 'BEGIN{OFS="\t"} {
            s = toupper($5 $8); gsub(/\^./, "", s); gsub(/[$]/, "", s)
            delete n
            for (i = 1; i <= length(s); i++) { b = substr(s, i, 1); if (b ~ /[ACGT]/) n[b]++ }
            r = ""; rn = 0; a = ""; an = 0   # no FASTA: REF = the majority base, ALT = the runner-up
            for (b in n) if (n[b] > rn || (n[b] == rn && b < r)) { rn = n[b]; r = b }
            for (b in n) if (b != r && (n[b] > an || (n[b] == an && b < a))) { an = n[b]; a = b }
            if (an > 0) print $1, $2, r, a, an
        }' | sort -t$'\t' -k5,5nr -k2,2n | head -10 |
        awk 'BEGIN{OFS="\t"; print "chrom","pos","ref","alt"} {print $1,$2,$3,$4}' >"$T/mrd.tsv"
        check "10 user targets from mpileup" test "$(wc -l <"$T/mrd.tsv")" -eq 11
        "$VW" model build --no-builtin -T "$T/mrd.tsv" -o "$T/pon.tsv" "$C/N1.bam" "$C/N2.bam" "$C/N3.bam" 2>"$T/err"
        check "model build on N1..N3: exit 0" test $? -eq 0
        check "model: 3 normals, 10 sites" bash -c "grep -q '^##n_normals=3' '$T/pon.tsv' && test \$(grep -vc '^#' '$T/pon.tsv') -eq 10"
        "$VW" call --no-builtin -T "$T/mrd.tsv" --model "$T/pon.tsv" --output-prefix "$T/mrd" "$C/T1.bam" "$C/T2.bam" 2>"$T/err"
        check "call T1, T2 with the panel: exit 0" test $? -eq 0
        check "every call uses the panel" bash -c "test -s '$T/mrd.vafwatch.calls.tsv' && test \$(awk -F'\t' 'NR>1 && \$25!=\"pon\"' '$T/mrd.vafwatch.calls.tsv' | wc -l) -eq 0"
        echo "    T1/T2 against N1..N3 (sample pos ref>alt alt/depth vaf p q detected flags):"
        awk -F'\t' 'NR>1 {printf "    %s %s %s>%s %s/%s %s %s %s %s %s\n", $1,$3,$4,$5,$12,$10,$17,$20,$21,$22,$24}' "$T/mrd.vafwatch.calls.tsv"
        if command -v bcftools >/dev/null; then
            check "bcftools view reads the 2-sample VCF" \
                bash -c "test \$(bcftools view -H '$T/mrd.vafwatch.calls.vcf.gz' | wc -l) -eq 10 && bcftools query -l '$T/mrd.vafwatch.calls.vcf.gz' | wc -l | grep -qx 2"
        fi
    else
        echo "skip panel checks (samtools not installed)"
    fi
fi

finish
