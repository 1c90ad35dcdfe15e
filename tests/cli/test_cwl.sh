#!/usr/bin/env bash
# The CWL descriptions (docs/workflows/cwl) run for real with cwltool (no container; the
# built vafwatch on PATH) on one patient of the example cohort (LUNG05: 11 simulated
# draws, two clones that emerge), against 'vafwatch run' on the same sheet:
#  - vafwatch.cwl (count scattered over the draws, then call, leadtime --track, report):
#    calls, track, series, leadtime, cohort tables and the per-draw evidence tables
#    byte-identical to run's, leadtime.json but for its command line, the same MultiQC table;
#  - run.cwl (the sheet and its data folder staged): the same tables, its report_date, title,
#    markers and params in the reports;
#  - vafwatch.cwl on the small cohorts of snakemake_cwl_cohort.sh: a sheet with 'targets' and
#    'swgs' columns (the targets files to count and call, one cnv --genome job per patient:
#    every table equal to run's, the genome tables put together in patient order), and
#    molecules with a model of every class and evidence_class duplex (as run --class duplex).
# Skips (77) only without cwltool (scripts/install-deps.sh installs it).
# Usage: test_cwl.sh SOURCE_DIR BUILD_DIR
set -u
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$1" && pwd)
B=$(cd "$2" && pwd)
command -v cwltool >/dev/null || { echo "SKIP: cwltool not installed (scripts/install-deps.sh installs it)"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export PATH="$B/src:$PATH" SOURCE_DATE_EPOCH=1700000000
valid=1
for f in "$SRC"/docs/workflows/cwl/*.cwl; do
    cwltool --validate "$f" >"$T/validate.log" 2>&1 || { valid=0; echo "    invalid: $(basename "$f")"; tail -3 "$T/validate.log"; }
done
[ $valid = 1 ] && ok "cwltool --validate: every CWL description" || bad "cwltool --validate"
C=$T/cohort
mkdir -p "$C/recipes" "$C/sim"
python3 "$SRC/testdata/cohort/make_cohort.py" --outdir "$C" --recipes "$C/recipes" >/dev/null
# two patients, the sheet keeps its header and order
for f in cohort events; do awk -F'\t' 'NR == 1 || $1 == "LUNG05"' "$C/$f.tsv" >"$C/$f.sub" && mv "$C/$f.sub" "$C/$f.tsv"; done
for s in $(tail -n +2 "$C/cohort.tsv" | cut -f2); do "$B/tests/vwsim" -r "$C/recipes/$s.recipe.tsv" -o "$C/sim/$s" >/dev/null; done
rm -rf "$C/recipes"
vafwatch run -e "$C/events.tsv" -d "$T/run" "$C/cohort.tsv" >/dev/null 2>&1 && ok "vafwatch run on the patient" || bad "vafwatch run"
# the job: draws in sheet order (patients by first appearance, draws by date), as run orders them
python3 - "$C/cohort.tsv" "$C/events.tsv" "$T/job.yml" <<'PY'
import csv, json, os, sys
sheet, events, job = sys.argv[1:]
rows = list(csv.DictReader(open(sheet), delimiter="\t"))
first = {}
for i, r in enumerate(rows):
    first.setdefault(r["patient"], i)
rows = [rows[i] for i in sorted(range(len(rows)), key=lambda i: (first[rows[i]["patient"]], rows[i]["date"], i))]
d = os.path.dirname(sheet)
j = {"alignments": [{"class": "File", "path": os.path.join(d, r["file"])} for r in rows],
     "samples": [r["sample"] for r in rows],
     "cfdna": ["%s=%s" % (r["sample"], r["cfdna_ng_per_ml"]) for r in rows if r.get("cfdna_ng_per_ml", "NA") not in ("", "NA")],
     "sheet": {"class": "File", "path": sheet}, "events": {"class": "File", "path": events},
     "report_date": "2023-11-14"}
json.dump(j, open(job, "w"), indent=1)
PY
CW="cwltool --quiet --no-container --preserve-environment PATH --preserve-environment SOURCE_DATE_EPOCH --parallel"
if (cd "$T" && $CW --outdir "$T/wf" "$SRC/docs/workflows/cwl/vafwatch.cwl" "$T/job.yml" >"$T/wf.json" 2>"$T/wf.log"); then
    ok "cwltool: vafwatch.cwl (count scattered over 11 draws, call, leadtime, report)"
else
    bad "cwltool vafwatch.cwl"; tail -20 "$T/wf.log"
fi
n=$(ls "$T"/wf/*.vafwatch.counts.tsv 2>/dev/null | wc -l)
[ "$n" -eq 11 ] && ok "one count job per draw (11)" || bad "$n evidence tables"
same=1
for k in calls track series leadtime cohort; do
    cmp -s "$T/wf/cohort.vafwatch.$k.tsv" "$T/run/vafwatch.$k.tsv" || { same=0; echo "    differs: $k.tsv"; }
done
for t in "$T"/wf/*.vafwatch.counts.tsv; do
    # (run's cache entry ends with its '#cache' trailer line)
    grep -v '^#cache'$'\t' "$T/run/counts/$(basename "$t")" | cmp -s "$t" - || { same=0; echo "    differs: $(basename "$t")"; }
done
[ $same = 1 ] && ok "workflow: calls, track, series, leadtime, cohort and evidence tables equal vafwatch run's" || bad "workflow tables differ"
if diff <(grep -v '"command"' "$T/wf/cohort.vafwatch.leadtime.json") <(grep -v '"command"' "$T/run/vafwatch.leadtime.json") >/dev/null \
   && cmp -s "$T/wf/report/vafwatch_mqc.tsv" "$T/run/report/vafwatch_mqc.tsv" \
   && grep -q '"report_date": "2023-11-14"' "$T/wf/report/vafwatch.report.json"; then
    ok "workflow: leadtime.json (but for the command) and the MultiQC table equal run's; report dated"
else
    bad "workflow leadtime.json / report"
fi
if command -v bcftools >/dev/null && diff <(bcftools view -H "$T/wf/cohort.vafwatch.calls.vcf.gz") <(bcftools view -H "$T/run/vafwatch.calls.vcf.gz") >/dev/null; then
    ok "workflow: VCF records equal run's"
else
    bad "workflow VCF records"
fi
# run.cwl: the sheet and its data folder staged
cat >"$T/run_job.yml" <<EOJ
sheet: {class: File, path: $C/cohort.tsv}
data: {class: Directory, path: $C/sim}
events: {class: File, path: $C/events.tsv}
threads: 2
report_date: "2024-02-29"
title: "LUNG05 & co"
markers: {class: File, path: $T/markers.tsv}
params: ["lab=Site A", "kit=v2"]
EOJ
printf 'patient\tdate\tmarker\tvalue\nLUNG05\t2023-01-16\tCEA\t4.1\n' >"$T/markers.tsv"
if (cd "$T" && $CW --outdir "$T/r2" "$SRC/docs/workflows/cwl/run.cwl" "$T/run_job.yml" >"$T/r2.json" 2>"$T/r2.log"); then
    ok "cwltool: run.cwl"
else
    bad "cwltool run.cwl"; tail -20 "$T/r2.log"
fi
# its report_date input, not SOURCE_DATE_EPOCH (2023-11-14), dates the reports
grep -q '"report_date": "2024-02-29"' "$T/r2/vafwatch-run/report/vafwatch.report.json" \
    && ok "run.cwl: report_date dates the reports" || bad "run.cwl: report_date"
# its title, markers and params inputs reach the reports (as run --title, --markers, --param)
python3 - "$T/r2/vafwatch-run/report" <<'PY' && ok "run.cwl: title, markers and params in the reports" || bad "run.cwl: title, markers, params"
import json, sys
d = sys.argv[1]
assert "<h1>LUNG05 &amp; co</h1>" in open(f"{d}/index.html").read()
j = json.load(open(f"{d}/vafwatch.report.json"))
assert j["markers_source"].endswith("markers.tsv"), j["markers_source"]
assert list(j["parameters"].items())[-2:] == [("lab", "Site A"), ("kit", "v2")], j["parameters"]
p = json.load(open(f"{d}/patients/LUNG05.json"))["patient"]["markers"]
assert [(m["marker"], m["date"], m["value"]) for m in p] == [("CEA", "2023-01-16", 4.1)], p
PY
same=1
for k in calls track series leadtime cohort; do
    cmp -s "$T/r2/vafwatch-run/vafwatch.$k.tsv" "$T/run/vafwatch.$k.tsv" || { same=0; echo "    differs: $k.tsv"; }
done
[ $same = 1 ] && ok "run.cwl: the tables equal vafwatch run's" || bad "run.cwl tables differ"

# -- the sheet's targets and swgs columns, model and evidence class (snakemake_cwl_cohort.sh) --
bash "$SRC/tests/cli/snakemake_cwl_cohort.sh" "$B/src/vafwatch" "$B/tests/vwsim" "$B/tests/genome_calib" "$T" \
    || bad "the small cohorts"
# the job of a sheet: draws in run's order; the targets column's files in sheet order; the swgs files
# of each patient's plasma draws by date, one list per patient
python3 - "$T/tc/cohort.tsv" "$T/tc/events.tsv" "$T/tc/job.yml" <<'PY'
import csv, json, os, sys
sheet, events, job = sys.argv[1:]
rows = list(csv.DictReader(open(sheet), delimiter="\t"))
first = {}
for i, r in enumerate(rows):
    first.setdefault(r["patient"], i)
rows = [rows[i] for i in sorted(range(len(rows)), key=lambda i: (first[rows[i]["patient"]], rows[i]["date"], i))]
d = os.path.dirname(sheet)
F = lambda p: {"class": "File", "path": os.path.join(d, p)}
has = lambda v: v not in (None, "", "NA", ".")
pats = list(dict.fromkeys(r["patient"] for r in rows if has(r.get("swgs")) and r.get("type") != "normal"))
sw = [[r for r in rows if r["patient"] == p and has(r.get("swgs")) and r.get("type") != "normal"] for p in pats]
j = {"alignments": [F(r["file"]) for r in rows], "samples": [r["sample"] for r in rows],
     "sheet": F(os.path.basename(sheet)), "events": F(os.path.basename(events)),
     "targets": [F(t) for t in dict.fromkeys(r["targets"] for r in rows if has(r.get("targets")))],
     "swgs": [[F(r["swgs"]) for r in x] for x in sw], "swgs_samples": [[r["sample"] for r in x] for x in sw],
     "swgs_patients": pats, "genome_gc": F("gc.wig")}
json.dump(j, open(job, "w"), indent=1)
PY
R=$T/tc/run.out O=$T/tc/wf
if [ -s "$R/vafwatch.patient.tsv" ] && (cd "$T/tc" && $CW --outdir "$O" "$SRC/docs/workflows/cwl/vafwatch.cwl" job.yml >wf.json 2>wf.log); then
    ok "cwltool: vafwatch.cwl with targets and swgs (5 count jobs, 2 cnv --genome jobs)"
else
    bad "cwltool vafwatch.cwl with targets and swgs"; tail -20 "$T/tc/wf.log"
fi
same=1
for k in calls patient track leadtime cohort; do
    cmp -s "$O/cohort.vafwatch.$k.tsv" "$R/vafwatch.$k.tsv" || { same=0; echo "    differs: $k.tsv"; }
done
for t in "$O"/*.vafwatch.counts.tsv; do
    grep -v '^#cache'$'\t' "$R/counts/$(basename "$t")" | cmp -s "$t" - || { same=0; echo "    differs: $(basename "$t")"; }
done
[ "$(ls "$O"/*.vafwatch.counts.tsv | wc -l)" = 5 ] || same=0
for k in genome.tsv genome_bins.tsv genome.seg genome_arms.tsv genome_focal.tsv genome_series.tsv; do
    { head -1 "$O/P1.vafwatch.$k"; tail -q -n +2 "$O/P1.vafwatch.$k" "$O/P2.vafwatch.$k"; } | cmp -s - "$R/vafwatch.$k" \
        || { same=0; echo "    differs: $k"; }
done
[ $same = 1 ] && ok "targets + swgs: calls, patient, track, leadtime, cohort, evidence tables and the per-patient genome tables (put together) equal run's" \
    || bad "targets + swgs: tables differ from run's"
grep -q 'class="patient-level"' "$O/report/patients/P1.html" && ok "the report's patient-level panel (call's patient table)" \
    || bad "no patient-level panel"
# run.cwl on the same sheet with its files under tc/ (the data folder staged beside it): the
# targets and swgs columns read by run itself
awk -F'\t' -v OFS='\t' 'NR > 1 { $4 = "tc/" $4; if ($6 != "") $6 = "tc/" $6; $7 = "tc/" $7 } { print }' "$T/tc/cohort.tsv" >"$T/tc_sheet.tsv"
# (files inside the staged data folder are not given again as File inputs: cwltool stages them twice)
cp "$T/tc/events.tsv" "$T/tc_events.tsv" && cp "$T/tc/gc.wig" "$T/tc_gc.wig"
cat >"$T/tc_run.yml" <<EOJ
sheet: {class: File, path: $T/tc_sheet.tsv}
data: {class: Directory, path: $T/tc}
events: {class: File, path: $T/tc_events.tsv}
genome_gc: {class: File, path: $T/tc_gc.wig}
EOJ
if (cd "$T" && $CW --outdir "$T/tcr" "$SRC/docs/workflows/cwl/run.cwl" tc_run.yml >tcr.json 2>tcr.log); then
    same=1
    for k in calls.tsv patient.tsv series.tsv leadtime.tsv genome.tsv genome_series.tsv; do
        cmp -s "$T/tcr/vafwatch-run/vafwatch.$k" "$R/vafwatch.$k" || { same=0; echo "    differs: $k"; }
    done
    [ $same = 1 ] && ok "run.cwl with targets and swgs columns: calls, patient, series, leadtime, genome tables equal run's" \
        || bad "run.cwl with targets and swgs: tables differ"
else
    bad "cwltool run.cwl with targets and swgs"; tail -5 "$T/tcr.log"
fi
# molecules: count_args, a model of every class and --class duplex, as run -m MODEL --class duplex
U=$T/umi
cat >"$U/job.yml" <<EOJ
alignments: [{class: File, path: $U/d3.bam}, {class: File, path: $U/d4.bam}]
samples: [P2_d3, P2_d4]
sheet: {class: File, path: $U/sheet.tsv}
events: {class: File, path: $U/events.tsv}
targets: [{class: File, path: $U/d3.targets.tsv}]
count_args: [--no-builtin, --count-unit, molecule]
model: {class: File, path: $U/pon.tsv}
evidence_class: duplex
EOJ
if (cd "$U" && $CW --outdir "$U/wf" "$SRC/docs/workflows/cwl/vafwatch.cwl" job.yml >wf.json 2>wf.log) \
    && cmp -s <(grep -v '^#evidence_class' "$U/wf/cohort.vafwatch.calls.tsv") "$U/run.out/vafwatch.calls.tsv" \
    && cmp -s "$U/wf/cohort.vafwatch.series.tsv" "$U/run.out/vafwatch.series.tsv" \
    && awk -F'\t' '!/^#/ { n++; k += $29 == "duplex" } END { exit !(n == 4 && k == 4) }' "$U/wf/cohort.vafwatch.calls.tsv"; then
    ok "molecules, model and evidence_class duplex: the calls (but for call's #evidence_class lines) and series equal run --class duplex's"
else
    bad "vafwatch.cwl with evidence_class"; tail -5 "$U/wf.log"
fi
# run.cwl with model and evidence_class (the sheet's files under umi/)
awk -F'\t' -v OFS='\t' 'NR > 1 { $4 = "umi/" $4 } { print }' "$U/sheet.tsv" >"$T/umi_sheet.tsv"
cp "$U/events.tsv" "$T/umi_events.tsv" && cp "$U/pon.tsv" "$T/umi_pon.tsv"
cat >"$T/umi_run.yml" <<EOJ
sheet: {class: File, path: $T/umi_sheet.tsv}
data: {class: Directory, path: $U}
events: {class: File, path: $T/umi_events.tsv}
model: {class: File, path: $T/umi_pon.tsv}
evidence_class: duplex
extra_args: [--no-builtin, -T, $U/d3.targets.tsv, --count-unit, molecule]
EOJ
if (cd "$T" && $CW --outdir "$T/umr" "$SRC/docs/workflows/cwl/run.cwl" umi_run.yml >umr.json 2>umr.log) \
    && cmp -s "$T/umr/vafwatch-run/vafwatch.calls.tsv" "$U/run.out/vafwatch.calls.tsv"; then
    ok "run.cwl with model and evidence_class duplex: the calls of run --class duplex"
else
    bad "run.cwl with evidence_class"; tail -5 "$T/umr.log"
fi
echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
