#!/usr/bin/env bash
# The MultiQC custom content of vafwatch report, read by the real MultiQC
# (Debian package multiqc, installed by scripts/install-deps.sh):
#  - vafwatch_stats_mqc.tsv becomes four General Statistics columns, one row per plasma draw;
#  - vafwatch_vaf_mqc.json becomes the line plot "vafwatch_vaf_plot";
#  - vafwatch_mqc.tsv the per-patient table "vafwatch_leadtime_table".
# Expected values are from the example cohort's recipe (testdata/cohort/make_cohort.py:
# 6,000 fragments per hotspot; LUNG05 T790M doubles from 0.6 % at day 112 to 30 % (capped) at
# day 280, C797S 1.2 % at day 280) and a hand-made CNV row with TF 0.2.
# Skips (77) only when multiqc is not installed.
# Usage: test_multiqc.sh VAFWATCH COHORT_DIR
set -u
. "$(dirname "$0")/lib.sh"
VW=$1
COH=$2
if ! command -v multiqc >/dev/null; then echo "SKIP: multiqc not installed (scripts/install-deps.sh installs it)"; exit 77; fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
python3 "$COH/make_cohort.py" --outdir "$T" --calls "$T/calls.tsv" >/dev/null || bad "make_cohort.py"
printf '#sample\tgene\tchrom\tstart\tend\tn_regions\tdepth\tlog2r\tz\tpcn\ttf\tcn_tumour\tamplified\tpcn_change\tflags\n' >"$T/cnv.tsv"
printf 'CRC01_d336\tERBB2\t17\t37844167\t37886679\t4\t9000\t0.62\t9.1\t3.07\t0.2\t7.35\tyes\t1.06\t.\n' >>"$T/cnv.tsv"
"$VW" report --report-date 2024-01-01 --sheet "$T/cohort.tsv" -e "$T/events.tsv" --cnv "$T/cnv.tsv" -d "$T/r" "$T/calls.tsv" \
    || bad "vafwatch report"
# MultiQC writes its cache and font cache under HOME: keep it in the scratch folder
if HOME="$T" MPLCONFIGDIR="$T/mpl" timeout 300 multiqc -q -f --no-ansi -o "$T/mq" "$T/r" >"$T/mq.log" 2>&1; then
    ok "multiqc ran on the report folder"
else
    bad "multiqc failed"; tail -5 "$T/mq.log"
fi
if python3 - "$T/mq" <<'PY'
import csv, re, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(d + "/multiqc_data/multiqc_general_stats.txt"), delimiter="\t"))
cols = {c.rsplit("-", 1)[-1]: c for c in rows[0] if c != "Sample"}
assert set(cols) >= {"depth_median", "max_vaf", "clones_detected", "tumour_fraction"}, cols
r = {x["Sample"]: x for x in rows}
assert len([s for s in r if s.startswith("LUNG05_")]) == 11, sorted(r)
l5 = r["LUNG05_d280"]
assert float(l5[cols["depth_median"]]) == 6000 and float(l5[cols["max_vaf"]]) == 30
assert float(l5[cols["clones_detected"]]) == 2
assert float(r["LUNG05_d000"][cols["clones_detected"]]) == 0
assert float(r["CRC01_d336"][cols["tumour_fraction"]]) == 20, r["CRC01_d336"]
assert r["CRC01_d000"][cols["tumour_fraction"]] in ("", "NA")
# the VAF line plot: one line per patient x mutation, x in days since the first draw
plot = list(csv.reader(open(d + "/multiqc_data/multiqc_vafwatch_vaf_plot.txt"), delimiter="\t"))
xs = plot[0][1:]
lines = {p[0]: dict(zip(xs, p[1:])) for p in plot[1:]}
t790 = lines["LUNG05 EGFR p.T790M"]
assert float(t790["112"]) == 0.6 and float(t790["280"]) == 30 and t790.get("84", "") == "", t790
assert float(lines["LUNG05 EGFR p.C797S"]["280"]) == 1.2
html = open(d + "/multiqc_report.html").read()
for sec in ("mqc-module-section-vafwatch_vaf", "mqc-module-section-vafwatch_leadtime", "header_mqc-generalstats-vafwatch-max_vaf"):
    assert 'id="%s"' % sec in html, sec
PY
then ok "General Statistics columns, the VAF line plot and the lead-time table in MultiQC"; else bad "MultiQC content"; fi
echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
