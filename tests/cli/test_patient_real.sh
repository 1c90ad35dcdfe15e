#!/usr/bin/env bash
# test_patient_real.sh -- tumour-informed monitoring on real reads: the
# ctDNAtools follow-up plasmas T1 and T2 (one patient) with N1..N3 as the
# sheet's normals (the panel: unrelated people, so an entry 'PON' of normals
# only, not the patient's own), and user reporter targets in the IGH window
# the files cover (skipped when ../shared/data or samtools is absent).
#   test_patient_real.sh VAFWATCH SHARED_DATA_DIR WORK_DIR
# The package's own 10 reporter mutations are not distributed, so the
# reporters are the 10 positions of chr14:106327322-106328049 with the most
# non-reference reads in T1+T2 (samtools mpileup, run here; REF = majority
# base, ALT = runner-up), as in test_call_real.sh.  A smoke test: the chain
# runs, the panel is the background, and the patient-level row of each draw
# adds up the calls of the loci it used (docs/calling.md).
set -u
. "$(dirname "$0")/lib.sh"
VW=$1 DATA=${2:-} W=$3
C=$DATA/reads/ctdnatools
if [ -z "$DATA" ] || [ ! -r "$C/T1.bam" ] || ! command -v samtools >/dev/null; then
    echo "skip: $C or samtools not present"
    exit 77
fi
rm -rf "$W" && mkdir -p "$W" && cd "$W" || exit 1
export LC_ALL=C
samtools mpileup -B -Q 20 -q 20 -r chr14:106327322-106328049 "$C/T1.bam" "$C/T2.bam" 2>/dev/null |
awk -F'\t' 'BEGIN{OFS="\t"} {
    s = toupper($5 $8); gsub(/\^./, "", s); gsub(/[$]/, "", s)
    delete n
    for (i = 1; i <= length(s); i++) { b = substr(s, i, 1); if (b ~ /[ACGT]/) n[b]++ }
    r = ""; rn = 0; a = ""; an = 0
    for (b in n) if (n[b] > rn || (n[b] == rn && b < r)) { rn = n[b]; r = b }
    for (b in n) if (b != r && (n[b] > an || (n[b] == an && b < a))) { an = n[b]; a = b }
    if (an > 0) print $1, $2, r, a, an
}' | sort -t$'\t' -k5,5nr -k2,2n | head -10 |
awk 'BEGIN{OFS="\t"; print "chrom","pos","ref","alt","id"} {print $1,$2,$3,$4,"R" NR}' >reporters.tsv
[ "$(wc -l <reporters.tsv)" -eq 11 ] && ok "10 reporter targets from mpileup" || ko "reporters"
{
    printf 'patient\tsample\tdate\tfile\ttype\ttargets\n'
    printf 'PON\tN1\t2020-01-01\t%s\tnormal\t\n' "$C/N1.bam"
    printf 'PON\tN2\t2020-01-01\t%s\tnormal\t\n' "$C/N2.bam"
    printf 'PON\tN3\t2020-01-01\t%s\tnormal\t\n' "$C/N3.bam"
    printf 'CT\tT1\t2020-03-01\t%s\tplasma\treporters.tsv\n' "$C/T1.bam"
    printf 'CT\tT2\t2020-06-01\t%s\tplasma\treporters.tsv\n' "$C/T2.bam"
} >cohort.tsv
printf 'patient\tdate\tevent\tdetail\nCT\t2020-02-01\ttreatment_start\tx\n' >events.tsv
if "$VW" run --quiet --no-builtin -e events.tsv -d out cohort.tsv 2>run.err; then ok "run: exit 0"; else cat run.err; ko "run failed"; fi
T=out/vafwatch.patient.tsv
[ "$(grep -vc '^#' "$T")" -eq 2 ] && ok "two patient-level rows (T1, T2; normals are not tested)" || ko "rows"
awk -F'\t' 'NR > 1 && $4 == 10 && $5 + $6 <= 10 && $14 >= 0 && $14 <= 1 && $11 <= $10 && $10 <= $12 && $16 > 0 { n++ }
    END { exit n != 2 }' "$T" && ok "10 targets each; p in [0,1]; lo <= fraction <= hi; LoD95 > 0" || ko "row values"
awk -F'\t' 'NR > 1 && $6 ~ /^R[0-9]+$/ && $25 != "pon" { bad++ } END { exit bad > 0 }' out/vafwatch.calls.tsv \
    && ok "every reporter call uses the panel of N1..N3" || ko "background"
# the row adds up the calls of the loci it used (not excluded, depth > 0)
for s in T1 T2; do
    want=$(awk -F'\t' -v s="$s" -v ex="$(awk -F'\t' -v s="$s" '$2 == s { print $17 }' "$T")" '
        BEGIN { n = split(ex, e, ";"); for (i = 1; i <= n; i++) { split(e[i], f, ":"); skip[f[1]] = 1 } }
        $1 == s && $6 ~ /^R[0-9]+$/ && !($6 in skip) && $10 != "NA" && $10 > 0 { d += $10; a += $12 }
        END { print d + 0, a + 0 }' out/vafwatch.calls.tsv)
    got=$(awk -F'\t' -v s="$s" '$2 == s { print $7, $8 }' "$T")
    [ "$want" = "$got" ] && ok "$s: depth and mutant fragments = the sum of its reporter calls ($got)" || ko "$s sums: got $got want $want"
done
echo "    patient-level rows:"
sed 's/^/    /' "$T"
finish
