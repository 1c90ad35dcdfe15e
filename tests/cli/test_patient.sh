#!/usr/bin/env bash
# test_patient.sh -- tumour-informed monitoring in vafwatch run, end to end on
# simulated reads (vwsim, fixed seeds).
#   test_patient.sh VAFWATCH VWSIM WORK_DIR [SOURCE_DIR]
#
# Patient P1 has 20 reporter SNVs of its own (C>T on chr2, a targets TSV in the
# sheet's 'targets' column); P2 has none.  Every draw: 20 windows of 250 bp,
# 3,000 fragments each, per-base error 3e-4 (1e-4 per substitution).
# P1's mutant fraction per locus: d0 2e-3, d1 5e-4, d2 0.  Expected by hand:
#   d0: ~120 mutant fragments against ~6 expected: detected, fraction near 2e-3;
#   d1: ~30 against ~6: detected;  d2: background only: not detected, LoD95
#   near the pooled-count limit (s* over ~6 expected -> (~12 - 6) / 60,000 ~ 1e-4..3e-4).
# P2's draws are counted on P1's loci (one target set for the cohort) but never
# called there: its calls hold no P1 target.  P1's own targets are their own
# family: q = p.  Then the errors: a targets TSV with a bad position (file:line),
# a GRCh38 VCF for GRCh37 reads (build), and --no-builtin with only the column.
set -u
. "$(dirname "$0")/lib.sh"
VW=$1 SIM=$2 W=$3 SRC=${4:-}
rm -rf "$W" && mkdir -p "$W" && cd "$W" || exit 1
export LC_ALL=C

POS=()
for k in $(seq 0 19); do POS+=($((20000000 + k * 10000))); done
LOCI_CHROM=chr2 LOCI_HALF=125 LOCI_FRAGMENTS=3000 # loci_recipe, loci_targets (lib.sh)
loci_targets 'P1_L%02d' >P1.targets.tsv
printf 'patient\tsample\tdate\tfile\ttype\ttargets\n' >cohort.tsv
FR=(0.002 0.0005 0)
DATES=(2024-01-01 2024-03-01 2024-05-01)
for i in 0 1 2; do
    loci_recipe $((700 + i)) "P1_d$i" "${FR[$i]}" >"p1d$i.recipe"
    "$SIM" -r "p1d$i.recipe" -o "p1d$i" >/dev/null || exit 1
    printf 'P1\tP1_d%s\t%s\tp1d%s.bam\tplasma\t%s\n' "$i" "${DATES[$i]}" "$i" "$([ $i = 0 ] && echo P1.targets.tsv)" >>cohort.tsv
done
for i in 0 1; do
    loci_recipe $((800 + i)) "P2_d$i" 0 >"p2d$i.recipe"
    "$SIM" -r "p2d$i.recipe" -o "p2d$i" >/dev/null || exit 1
    printf 'P2\tP2_d%s\t%s\tp2d%s.bam\tplasma\t\n' "$i" "${DATES[$i]}" "$i" >>cohort.tsv
done
printf 'patient\tdate\tevent\tdetail\nP1\t2024-01-02\ttreatment_start\tx\nP2\t2024-01-02\ttreatment_start\tx\n' >events.tsv

if "$VW" run --quiet -e events.tsv -d out cohort.tsv 2>run.err; then ok "run with a targets column"; else cat run.err; ko "run failed"; fi
T=out/vafwatch.patient.tsv
col() { awk -F'\t' -v s="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; h["patient"] = 1 } $2 == s { print $h[c] }' "$T"; }
if [ "$(grep -vc '^#' "$T")" = 3 ] && ! grep -q P2 "$T"; then ok "patient table: one row per plasma draw of P1, none for P2"; else cat "$T"; ko "patient table rows"; fi
[ "$(col P1_d0 loci_used)" = 20 ] && [ "$(col P1_d0 detected)" = yes ] && [ "$(col P1_d1 detected)" = yes ] \
    && [ "$(col P1_d2 detected)" = no ] && ok "detected at 2e-3 and 5e-4, not at 0" || { cat "$T"; ko "patient-level detections"; }
awk -F'\t' '$2 == "P1_d0" { exit !($11 <= 0.002 && 0.002 <= $12) }' "$T" && ok "d0: the 95 % interval covers 2e-3" || ko "d0 interval"
awk -F'\t' '$2 == "P1_d2" { exit !($16 > 5e-5 && $16 < 5e-4 && $10 == 0 || $16 > 5e-5 && $16 < 5e-4 && $10 < $16) }' "$T" \
    && ok "d2: LoD95 between 5e-5 and 5e-4, estimate below it" || { grep P1_d2 "$T"; ko "d2 LoD"; }
C=out/vafwatch.calls.tsv
if ! awk -F'\t' '$1 ~ /^P2_/ && $6 ~ /^P1_L/' "$C" | grep -q . && [ "$(awk -F'\t' '$1 == "P1_d0" && $6 ~ /^P1_L/' "$C" | wc -l)" = 20 ]; then
    ok "P1's targets are called in P1 only (20 rows per P1 draw, none in P2)"
else
    ko "P1 targets leaked to P2 or missing"
fi
# q = p for the patient's own targets (columns by name)
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $h["id"] ~ /^P1_L/ && $h["p_value"] != "NA" { n++; if ($h["p_value"] != $h["q_value"]) bad++ }
    END { exit !(n > 0 && bad == 0) }' "$C" && ok "own targets: q = p (their own family)" || ko "own targets adjusted"
grep -q '"patient_tests"' out/vafwatch.patient.json && ok "JSON written" || ko "no JSON"
# the report: a patient-level panel for P1 (two fractions with intervals, one LoD), none for P2
panel=$(sed -n '/<svg class="patient-level"/,/<\/svg>/p' out/report/patients/P1.html)
if [ "$(grep -c '<circle class="det"' <<<"$panel")" = 2 ] && [ "$(grep -c '<line class="ci"' <<<"$panel")" = 2 ] \
    && [ "$(grep -c '<path class="lod"' <<<"$panel")" = 1 ] && ! grep -q 'class="patient-level"' out/report/patients/P2.html; then
    ok "report: P1's patient-level panel (2 fractions with intervals, 1 LoD), none for P2"
else
    ko "report panel"
fi

# standalone leadtime and report read the patient table (--patient-tests): the
# run's lead-time table and patient series again, and the report's panel
if "$VW" leadtime --quiet --sheet cohort.tsv -e events.tsv --track --patient-tests "$T" --output-prefix sl \
        out/vafwatch.calls.tsv 2>sl.err \
    && cmp -s sl.vafwatch.leadtime.tsv out/vafwatch.leadtime.tsv && cmp -s sl.vafwatch.patient.tsv "$T"; then
    ok "leadtime --patient-tests: run's lead-time table and patient series byte for byte"
else
    cat sl.err; diff sl.vafwatch.patient.tsv "$T" | head -5; ko "leadtime --patient-tests differs from run"
fi
if "$VW" report --quiet --sheet cohort.tsv -e events.tsv --patient-tests "$T" --no-report-date -d rep \
        out/vafwatch.calls.tsv 2>rep.err \
    && [ "$(sed -n '/<svg class="patient-level"/,/<\/svg>/p' rep/patients/P1.html | grep -c '<circle class="det"')" = 2 ] \
    && ! grep -q 'class="patient-level"' rep/patients/P2.html; then
    ok "report --patient-tests: P1's patient-level panel, none for P2"
else
    cat rep.err; ko "report --patient-tests"
fi
# a rising series by hand (60,000 fragments, 6 expected each draw; 12, 40, 60
# mutant): the rise of d1 against the baseline d0 has p = P(Bin(52, 1/2) >= 40)
# ~ 5e-5 < 0.05 / 2 (a signal), d2 confirms (P(Bin(72, 1/2) >= 60) against the
# nadir d0); molecular progression 2024-03-01, confirmed 2024-05-01, 122 days
# before the progression scan of 2024-07-01
printf '#patient\tsample\tdate\tn_targets\tloci_used\tloci_excluded\tdepth\talt_count\texpected_alt\tfraction\tfraction_lo\tfraction_hi\tlr\tp_value\tdetected\tlod95\texcluded\n' >rise.tsv
for r in "P1_d2 2024-05-01 60 0.0009" "P1_d0 2024-01-01 12 0.0001" "P1_d1 2024-03-01 40 0.00057"; do
    set -- $r
    printf 'P1\t%s\t%s\t20\t20\t0\t60000\t%s\t6\t%s\t0\t0.01\t10\t1e-6\tyes\t1e-4\t.\n' "$1" "$2" "$3" "$4" >>rise.tsv
done
cp events.tsv ev_pd.tsv && printf 'P1\t2024-07-01\tprogression\tPD\n' >>ev_pd.tsv
if "$VW" leadtime --quiet --sheet cohort.tsv -e ev_pd.tsv --track --patient-tests rise.tsv --output-prefix rise \
        out/vafwatch.calls.tsv 2>rise.err \
    && awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } $1 == "P1" {
        exit !($h["patient_molecular_progression"] == "2024-03-01" && $h["patient_lead_time_days"] == 122 \
               && $h["patient_rule_fired"] == "2024-05-01") }' rise.vafwatch.leadtime.tsv \
    && [ "$(awk -F'\t' '$2 == "P1_d1" { print $21 }' rise.vafwatch.patient.tsv)" = yes ]; then
    ok "leadtime --patient-tests: a rising series by hand gives molecular progression 2024-03-01, lead 122 days"
else
    cat rise.err rise.vafwatch.leadtime.tsv; ko "patient-level molecular progression in leadtime"
fi
if "$VW" report --quiet --sheet cohort.tsv -e ev_pd.tsv --patient-tests rise.tsv --no-report-date -d rep_rise \
        out/vafwatch.calls.tsv 2>rep_rise.err \
    && sed -n '/<svg class="patient-level"/,/<\/svg>/p' rep_rise/patients/P1.html \
        | grep -q '<line class="mp".*molecular progression (patient level) 2024-03-01' \
    && ! grep -q 'class="mp"' rep/patients/P1.html \
    && grep -q "^P1	.*	2024-03-01	122$" rep_rise/vafwatch_mqc.tsv \
    && grep -q "	patient_molecular_progression	patient_lead_time_days$" rep_rise/vafwatch_mqc.tsv; then
    ok "report --patient-tests: the panel marks the molecular progression (2024-03-01), none without one; MultiQC columns"
else
    cat rep_rise.err; ko "report: molecular progression marker"
fi
sed 's/^P1\t/P9\t/' rise.tsv >unknown.tsv
if "$VW" leadtime --quiet --sheet cohort.tsv -e events.tsv --patient-tests unknown.tsv --output-prefix unk \
        out/vafwatch.calls.tsv 2>unk.err; then ko "a patient table with a patient not in the sheet was accepted"
elif [ $? = 1 ] && grep -q "unknown.tsv: patient 'P9' is not in the cohort sheet" unk.err && [ ! -e unk.vafwatch.leadtime.tsv ]; then
    ok "leadtime --patient-tests: a patient not in the sheet is an error naming the file, nothing written"
else cat unk.err; ko "unknown patient error"; fi

# the scattered path: count each draw with the patient's targets (-T), then
# call --sheet --events on the tables: the same calls and patient table as run
for f in p1d0 p1d1 p1d2 p2d0 p2d1; do "$VW" count --quiet -T P1.targets.tsv -o "$f.counts.tsv" "$f.bam" || ko "count $f"; done
if "$VW" call --quiet --sheet cohort.tsv -e events.tsv --output-prefix sc p1d0.counts.tsv p1d1.counts.tsv p1d2.counts.tsv p2d0.counts.tsv \
        p2d1.counts.tsv 2>sc.err \
    && cmp -s sc.vafwatch.calls.tsv out/vafwatch.calls.tsv && cmp -s sc.vafwatch.patient.tsv out/vafwatch.patient.tsv; then
    ok "count -T + call --sheet --events: calls and patient table equal run's byte for byte"
else
    cat sc.err; diff sc.vafwatch.patient.tsv out/vafwatch.patient.tsv | head -5; ko "scattered path differs from run"
fi
# the Snakemake workflow carries the column (skipped without snakemake)
if [ -n "$SRC" ] && command -v snakemake >/dev/null; then
    printf 'sheet: %s/cohort.tsv\nevents: %s/events.tsv\noutdir: results\nname: cohort\nvafwatch: %s\nthreads: 1\n' \
        "$PWD" "$PWD" "$VW" >smk.yaml
    if snakemake -s "$SRC/docs/workflows/snakemake/Snakefile" --configfile smk.yaml --cores 2 >smk.log 2>&1 \
        && cmp -s results/cohort.vafwatch.patient.tsv out/vafwatch.patient.tsv \
        && cmp -s results/cohort.vafwatch.calls.tsv out/vafwatch.calls.tsv \
        && cmp -s results/cohort.vafwatch.leadtime.tsv out/vafwatch.leadtime.tsv \
        && grep -q 'class="patient-level"' results/report/patients/P1.html; then
        ok "Snakemake workflow: calls, patient and lead-time tables equal run's; the report's patient-level panel"
    else
        tail -20 smk.log; ko "Snakemake workflow with a targets column"
    fi
else
    echo "skip Snakemake check (no snakemake or no source dir)"
fi
# the CWL leadtime tool with its optional patient_tests input (skipped without cwltool)
if [ -n "$SRC" ] && command -v cwltool >/dev/null; then
    if PATH="$(cd "$(dirname "$VW")" && pwd):$PATH" cwltool --quiet --no-container --outdir cwlout \
            "$SRC/docs/workflows/cwl/leadtime.cwl" --calls out/vafwatch.calls.tsv --sheet cohort.tsv \
            --events events.tsv --patient_tests "$T" >cwl.json 2>cwl.err \
        && cmp -s cwlout/cohort.vafwatch.patient.tsv "$T" && cmp -s cwlout/cohort.vafwatch.leadtime.tsv out/vafwatch.leadtime.tsv; then
        ok "CWL leadtime.cwl with patient_tests: run's lead-time and patient tables"
    else
        tail -5 cwl.err; ko "CWL leadtime.cwl with patient_tests"
    fi
else
    echo "skip CWL check (no cwltool or no source dir)"
fi
# a table counted without the patient's targets: call --sheet names the file
"$VW" count --quiet -o bare.counts.tsv p1d0.bam
if "$VW" call --quiet --sheet cohort.tsv --output-prefix bare bare.counts.tsv 2>bare.err; then ko "call --sheet without the targets in the evidence"
elif grep -q "P1.targets.tsv: target P1_L00 .* is not in the evidence" bare.err; then ok "call --sheet: a patient target missing from the evidence names the file"
else cat bare.err; ko "missing evidence error"; fi

# --no-builtin: the patients' own targets alone
if "$VW" run --quiet --no-builtin --build GRCh37 -e events.tsv -d out2 cohort.tsv 2>nb.err \
    && cmp -s <(cut -f1-16 out/vafwatch.patient.tsv) <(cut -f1-16 out2/vafwatch.patient.tsv); then
    ok "--no-builtin with only the column: the same patient-level table"
else
    cat nb.err; ko "--no-builtin with the column"
fi
# errors: one line naming the file and line; nothing written
printf 'chrom\tpos\tref\talt\nchr2\t20000000\tC\tT\nchr2\tx12\tC\tT\n' >bad.tsv
sed 's#P1.targets.tsv#bad.tsv#' cohort.tsv >bad_cohort.tsv
if "$VW" run --quiet -e events.tsv -d out3 bad_cohort.tsv 2>bad.err; then ko "a bad targets file was accepted"
elif grep -q "bad.tsv:3" bad.err && [ ! -e out3/vafwatch.calls.tsv ]; then ok "bad targets TSV: error names bad.tsv:3, no output"
else cat bad.err; ko "bad targets TSV error"; fi
printf '##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n##contig=<ID=chr2,length=242193529>\n##contig=<ID=chr7,length=159345973>\n##contig=<ID=chr12,length=133275309>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr2\t20000000\t.\tC\tT\t.\t.\t.\n' >b38.vcf
sed 's#P1.targets.tsv#b38.vcf#' cohort.tsv >b38_cohort.tsv
if "$VW" run --quiet -e events.tsv -d out4 b38_cohort.tsv 2>b38.err; then ko "a GRCh38 targets VCF was accepted"
elif grep -q "b38.vcf: genome build GRCh38" b38.err && grep -q "cohort sheet line 2" b38.err; then ok "GRCh38 targets for GRCh37 reads: error names the file and sheet line"
else cat b38.err; ko "build mismatch error"; fi
printf 'patient\tsample\tdate\tfile\ttargets\nP1\tP1_d0\t2024-01-01\tp1d0.bam\tnone.tsv\n' >missing.tsv
if "$VW" run --quiet -e events.tsv -d out5 missing.tsv 2>miss.err; then ko "a missing targets file was accepted"
elif grep -q "missing.tsv:2: column 'targets': cannot read" miss.err; then ok "missing targets file: sheet line named"
else cat miss.err; ko "missing targets error"; fi
finish
