#!/usr/bin/env bash
# End-to-end tests of vafwatch report.
# Usage: test_report.sh VAFWATCH COHORT_DIR SCHEMA
#  - usage and exit codes;
#  - on the example cohort's synthetic calls (make_cohort.py --calls) every file is written;
#    the SVG of every HTML page is well-formed XML, with no script and no external resource;
#    the JSON validates against docs/schema/vafwatch-report.schema.json; the MultiQC table
#    has its header and one row per patient; two runs are byte-identical;
#  - a patient named <script>alert(1)</script> (and a drug with markup) stays text, and its
#    file name is sanitised and unique;
#  - --cnv rows show up with their patient.
set -u
. "$(dirname "$0")/lib.sh"
unset SOURCE_DATE_EPOCH
VW=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
COH=$2
SCHEMA=$3
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
check() { # DESCRIPTION -- command...
    local d=$1
    shift 2
    if "$@" >"$T/out" 2>"$T/err"; then ok "$d"; else bad "$d"; sed 's/^/    /' "$T/err" | head -10; fi
}

if "$VW" report --help | grep -q "^Usage: vafwatch report"; then ok "report --help"; else bad "report --help"; fi
if "$VW" help report | grep -q "^Usage: vafwatch report"; then ok "help report"; else bad "help report"; fi
expect 2 "" -- "$VW" report --no-such-option
expect 2 "needs --sheet" -- "$VW" report --sheet a -e b x.tsv
expect 2 "--param takes" -- "$VW" report --param novalue --sheet a -e b -d c d

python3 "$COH/make_cohort.py" --outdir "$T" --calls "$T/calls.tsv" || bad "make_cohort.py"
S="$T/cohort.tsv"
E="$T/events.tsv"

expect 1 "" -- "$VW" report --sheet "$S" -e "$E" -d "$T/calls.tsv" "$T/calls.tsv"
expect 1 "nonexistent.tsv" -- "$VW" report --sheet "$S" -e "$E" --cnv "$T/nonexistent.tsv" -d "$T/x" "$T/calls.tsv"
if [ -e "$T/x/index.html" ]; then bad "outputs written after an error"; else ok "nothing written on error"; fi

# a small CNV table for two CRC01 draws
printf '#sample\tgene\tchrom\tstart\tend\tn_regions\tdepth\tlog2r\tz\tpcn\ttf\tcn_tumour\tamplified\tpcn_change\tflags\n' >"$T/cnv.tsv"
printf 'CRC01_d000\tERBB2\t17\t37844167\t37886679\t4\t5000\t0.01\t0.2\t2.01\tNA\tNA\tno\tNA\tno_tf\n' >>"$T/cnv.tsv"
printf 'CRC01_d336\tERBB2\t17\t37844167\t37886679\t4\t9000\t0.62\t9.1\t3.07\tNA\tNA\tyes\t1.06\tno_tf\n' >>"$T/cnv.tsv"
# a second table with other columns (no flags): one line naming it, nothing written
cut -f1-14 "$T/cnv.tsv" >"$T/cnv_other.tsv"
expect 1 "cnv_other.tsv: not the columns of the cnv table read before it" -- "$VW" report --sheet "$S" -e "$E" \
    --cnv "$T/cnv.tsv" --cnv "$T/cnv_other.tsv" -d "$T/x" "$T/calls.tsv"
if [ -e "$T/x" ]; then bad "outputs written after a cnv column error"; else ok "nothing written on a cnv column error"; fi

check "report on the example cohort" -- "$VW" report --sheet "$S" -e "$E" --cnv "$T/cnv.tsv" --build GRCh37 \
    --param "call alpha=0.05" -d "$T/r1" "$T/calls.tsv"
missing=0
for f in index.html vafwatch.report.json vafwatch_mqc.tsv; do [ -s "$T/r1/$f" ] || { missing=1; echo "    missing $f"; }; done
for p in $(tail -n +2 "$S" | cut -f1 | sort -u); do
    for x in html json; do [ -s "$T/r1/patients/$p.$x" ] || { missing=1; echo "    missing patients/$p.$x"; }; done
done
if [ $missing -eq 0 ]; then ok "all files written"; else bad "files missing"; fi
if ls "$T/r1" "$T/r1/patients" | grep -q '\.tmp'; then bad "temporary files left"; else ok "no temporary files left"; fi
check "SVG well-formed, no script, no external resource" -- python3 "$HERE/check_report_html.py" "$T/r1/index.html" "$T"/r1/patients/*.html
check "JSON validates against the schema" -- python3 "$HERE/json_validate.py" "$SCHEMA" "$T/r1/vafwatch.report.json" "$T"/r1/patients/*.json
# the validator does reject: a VAF given in % and a missing field
python3 - "$T/r1/vafwatch.report.json" "$T/broken.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["patients"][0]["clones"][0]["draws"][-1]["vaf"] = 30.0
del d["patients"][1]["lead"]
json.dump(d, open(sys.argv[2], "w"))
PY
expect 1 "" -- python3 "$HERE/json_validate.py" "$SCHEMA" "$T/broken.json"
check "JSON content: lead times, statuses, CNV rows" -- python3 - "$T/r1/vafwatch.report.json" "$T/truth.tsv" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
truth = [dict(zip([h.lstrip("#") for h in rows[0]], r)) for r in rows[1:]]
pat = {p["patient"]: p for p in d["patients"]}
for t in truth:
    lead = pat[t["patient"]]["lead"]
    want = None if t["lead_time_days"] == "NA" else float(t["lead_time_days"])
    assert lead["lead_time_days"] == want, (t, lead)
    assert lead["status"] == t["lead_status"], (t, lead)
assert len(pat["CRC01"]["cnv"]) == 2 and pat["CRC01"]["cnv"][1]["amplified"] == "yes"
assert all(not p["cnv"] for k, p in pat.items() if k != "CRC01")
assert d["build"] == "GRCh37" and d["parameters"]["call alpha"] == "0.05" and d["generated"] is None
assert d["cohort"]["groups"][-1]["group"] == "total" and d["cohort"]["groups"][-1]["patients"] == 7
# a not-detected draw carries its LoD95
nd = [x for p in d["patients"] for c in p["clones"] if c["kind"] == "mutation" for x in c["draws"]
      if x["state"] == "not_detected"]
assert nd and all(x["lod95"] is not None and x["lod95"] > 0 for x in nd)
# --cnv also tracks the gene: one amplified draw (the last) awaits its confirmation, pCN 3.07
amp = [c for c in pat["CRC01"]["clones"] if c["kind"] == "amplification"]
assert len(amp) == 1 and amp[0]["id"] == "ERBB2_amplification" and amp[0]["status"] == "unconfirmed", amp
assert amp[0]["max_pcn"] == 3.07 and amp[0]["n_detected"] == 1 and amp[0]["n_assessed"] == 2, amp
assert pat["CRC01"]["lead"]["kind"] == "mutation"
PY
if grep -q "Copy number" "$T/r1/patients/CRC01.html" && grep -q "ERBB2" "$T/r1/patients/CRC01.html" \
   && ! grep -q "ERBB2" "$T/r1/patients/CRC02.html"; then ok "CNV rows shown with their patient"; else bad "CNV rows"; fi
if grep -q "lead time 308 days (10.1 months)" "$T/r1/patients/CRC01.html"; then ok "lead time annotated"; else bad "lead time annotation"; fi
if grep -q "not detected (LoD95 0.15 %)" "$T/r1/patients/CRC01.html"; then ok "not detected carries its LoD95"; else bad "not detected without LoD95"; fi
check "MultiQC table" -- python3 - "$T/r1/vafwatch_mqc.tsv" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
head = [l for l in lines if l.startswith("#")]
assert "# plot_type: 'table'" in head and any(l.startswith("# section_name: ") for l in head)
rows = [l.split("\t") for l in lines if not l.startswith("#")]
assert rows[0] == ["patient", "status", "first_detection", "progression", "lead_time_days", "n_draws", "n_clones"], rows[0]
assert len(rows) == 8 and all(len(r) == 7 for r in rows)
r = {x[0]: x for x in rows[1:]}
assert r["CRC01"][1:] == ["molecular_first", "2023-04-03", "2024-02-05", "308", "15", "1"], r["CRC01"]
PY

# the command line is part of the output: run twice with the same one, in two folders
mkdir -p "$T/d1" "$T/d2"
for d in d1 d2; do
    (cd "$T/$d" && "$VW" report --sheet "$S" -e "$E" --cnv "$T/cnv.tsv" -d out "$T/calls.tsv") || bad "run in $d"
done
if diff -r "$T/d1/out" "$T/d2/out" >/dev/null; then ok "deterministic: two runs byte-identical"; else bad "two runs differ"; fi
# each --cnv table is read once (the amplification series and the report's rows alike): a pipe, readable once,
# gives the CRC01 amplification of the file above, in the JSON and on the patient page
if "$VW" report --sheet "$S" -e "$E" --cnv <(cat "$T/cnv.tsv") -d "$T/r4" "$T/calls.tsv" 2>"$T/err" \
    && python3 -c 'import json, sys; p = {x["patient"]: x for x in json.load(open(sys.argv[1]))["patients"]}
a = [c for c in p["CRC01"]["clones"] if c["kind"] == "amplification"]
assert len(a) == 1 and a[0]["max_pcn"] == 3.07 and a[0]["n_assessed"] == 2, a' "$T/r4/vafwatch.report.json" \
    && grep -q "ERBB2" "$T/r4/patients/CRC01.html"; then ok "--cnv from a pipe: read once"
else bad "--cnv from a pipe: $(head -1 "$T/err")"; fi
check "--timestamp run" -- "$VW" report --sheet "$S" -e "$E" --timestamp -d "$T/r3" "$T/calls.tsv"
if grep -Eq '"generated": "[0-9]{4}-[0-9]{2}-[0-9]{2}T' "$T/r3/vafwatch.report.json"; then ok "--timestamp writes the time"; else bad "--timestamp"; fi

# hostile names: CRC01 becomes <script>alert(1)</script>, CRC02 a name that sanitises to the same file
X='<script>alert(1)</script>'
awk -F'\t' -v OFS='\t' -v x="$X" '$1=="CRC01"{$1=x} $1=="CRC02"{$1="_script_alert_1___script_"} {print}' "$S" >"$T/xss.tsv"
awk -F'\t' -v OFS='\t' -v x="$X" '$1=="CRC01"{$1=x} $1=="CRC02"{$1="_script_alert_1___script_"}
     $3=="treatment_start" && $1==x {$4="<b>cetux</b> & \"co\" '"'"'x'"'"'"} {print}' "$E" >"$T/xss_events.tsv"
check "report with hostile names" -- "$VW" report --sheet "$T/xss.tsv" -e "$T/xss_events.tsv" -d "$T/rx" "$T/calls.tsv"
f1="$T/rx/patients/_script_alert_1___script_.html"
f2="$T/rx/patients/_script_alert_1___script_-2.html"
if [ -s "$f1" ] && [ -s "$f2" ]; then ok "file names sanitised and unique"; else bad "sanitised names"; ls "$T/rx/patients"; fi
check "hostile pages: SVG well-formed, no script" -- python3 "$HERE/check_report_html.py" "$T/rx/index.html" "$T"/rx/patients/*.html
if grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$f1" && grep -q '&lt;b&gt;cetux&lt;/b&gt; &amp; &quot;co&quot; &#39;x&#39;' "$f1"; then
    ok "patient name and drug stay text (HTML and SVG)"; else bad "escaping"; fi
if grep -q '&lt;script&gt;' "$T/rx/vafwatch_mqc.tsv" && ! grep -q '<script' "$T/rx/vafwatch_mqc.tsv"; then
    ok "MultiQC table: the name stays text"; else bad "MultiQC table escaping"; fi
check "hostile JSON validates and keeps the name" -- python3 - "$SCHEMA" "$T/rx/vafwatch.report.json" "$HERE" <<'PY'
import json, subprocess, sys
assert subprocess.call([sys.executable, sys.argv[3] + "/json_validate.py", sys.argv[1], sys.argv[2]]) == 0
d = json.load(open(sys.argv[2]))
assert d["patients"][0]["patient"] == "<script>alert(1)</script>"
assert d["patients"][1]["report"] == "patients/_script_alert_1___script_-2.html"
PY

# --- words and content (docs/reports.md "Per-patient page") ---------------------------------
# LUNG05 gets EGFR L861Q (a sensitising mutation, catalogue context "EGFR-TKI (NSCLC): sensitising")
# at 23 % (1,380/6,000) at the last draw only: one detection the rule has not confirmed.  PON1 is a
# sheet entry with a normal sample only.
python3 - "$T/calls.tsv" "$S" "$T/words_calls.tsv" "$T/words_sheet.tsv" <<'PY'
import sys
rows = open(sys.argv[1]).read().splitlines()
out = list(rows)
for r in rows[1:]:
    f = r.split("\t")
    if f[0].startswith("LUNG05_") and f[5].startswith("EGFR_T790M"):
        g = list(f)
        g[2], g[3], g[4], g[5], g[7], g[8] = "55259524", "T", "A", "EGFR_L861Q_c.2582T>A", "p.L861Q", "c.2582T>A"
        last = f[0] == "LUNG05_d280"
        g[10:18] = ["4620", "1380", "0", "0", "690", "690", "0.23", "0.219"] if last else ["6000", "0", "0", "0", "0", "0", "0", "0"]
        g[18] = "0.241" if last else "0.002"
        g[19] = "1e-300" if last else "0.5"
        g[20] = "1e-300" if last else "1"
        g[21] = "yes" if last else "no"
        out.append("\t".join(g))
open(sys.argv[3], "w").write("\n".join(out) + "\n")
sheet = open(sys.argv[2]).read().splitlines()
# optional specimen_id and assay columns (NA for CRC01)
out = [sheet[0] + "\tspecimen_id\tassay"]
for l in sheet[1:]:
    f = l.split("\t")
    out.append(l + ("\tNA\tNA" if f[0] == "CRC01" else "\tTUBE-%s\tpanel <v2>" % f[1]))
out.append("PON1\tPON1_n\t2023-01-02\tpon1.bam\tnormal\tNA\tNA\tNA")
open(sys.argv[4], "w").write("\n".join(out) + "\n")
PY
check "report: last-draw detection, normals" -- env SOURCE_DATE_EPOCH=1700000000 "$VW" report --sheet "$T/words_sheet.tsv" -e "$E" \
    -d "$T/rw" "$T/words_calls.tsv"
L5="$T/rw/patients/LUNG05.html"
# the headline names the last draw's detections and says which are confirmed
check "headline: L861Q at the last draw, unconfirmed, sensitising; T790M confirmed" -- python3 - "$L5" <<'PY'
import re, sys
h = open(sys.argv[1]).read()
m = re.search(r'<p class="headline">(.*?)</p>', h, re.S)
assert m, "no headline"
t = re.sub(r"<[^>]+>", "", m.group(1))
assert t.startswith("At the last draw (2023-10-23, LUNG05_d280): detected"), t
assert "EGFR p.L861Q at 23 % (sensitising mutation), unconfirmed: a single detection" in t, t
assert "EGFR p.T790M at 30 % (resistance mutation), confirmed (met the emergence rule; first detected 2023-05-08)" in t, t
assert "No clone emerged" not in h and "resistance clone" not in t
# only clones that met the rule have an emergence line, one marker each (T790M and C797S, not L861Q)
em = re.findall(r'<g class="emergence">.*?<title>(.*?)</title></g>', h)
assert em == ["EGFR p.T790M emerged 2023-05-08", "EGFR p.C797S emerged 2023-09-25"], em
m = re.search(r"<b>Emergence</b>[^<]*:(.*?)</p>", h, re.S)
assert "L861Q" not in m.group(1) and "T790M" in m.group(1) and "C797S" in m.group(1), m.group(1)
# roles in the clone table and legend
assert re.search(r'<td class="role-sensitising">sensitising<br><span class="muted">EGFR-TKI \(NSCLC\): sensitising', h)
# its status cell says unconfirmed too (amber), whether the tracking stage calls it transient or unconfirmed
assert re.search(r'EGFR_L861Q_c\.2582T&gt;A</td><td><span class="st-unconfirmed">unconfirmed: one detection, awaiting the next draw</span>', h)
assert "EGFR p.L861Q (sensitising)</text>" in h and "EGFR p.T790M (resistance)</text>" in h
# targets never detected: one summary line (5 targets, one LoD95), the table folded
m = re.search(r'<details class="nd-targets">\n<summary>(.*?)</summary>', h)
assert m and m.group(1) == "5 other targets not detected at any draw (LoD95 0.15 %)", m
# the research-use statement and the report date (SOURCE_DATE_EPOCH 1700000000 = 2023-11-14 22:13 UTC)
assert "For research use only." in h and "Report date: <b>2023-11-14</b>" in h
# copies/mL of a detected draw: VAF x cfDNA (ng/mL) x 303 = 0.23 x 18 x 303 = 1254.42 (sheet: 18 ng/mL)
assert "<td class=\"n\">1254.4</td>" in h, "copies/mL"
# specimen and assay from the sheet, escaped
assert "<th>specimen</th><th>assay</th>" in h and "<td>TUBE-LUNG05_d280</td><td>panel &lt;v2&gt;</td>" in h
PY
check "JSON: roles, statuses, copies/mL, report date, normals left out" -- python3 - "$T/rw/vafwatch.report.json" "$T/words_sheet.tsv" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format_version"] == 2 and d["report_date"] == "2023-11-14" and d["intended_use"].startswith("For research use only.")
cf = {l.split("\t")[1]: l.split("\t")[5] for l in open(sys.argv[2]).read().splitlines()[1:]}
pats = [p["patient"] for p in d["patients"]]
assert "PON1" not in pats and len(pats) == 7, pats
assert d["cohort"]["groups"][-1]["patients"] == 7
c = {x["id"]: x for x in d["patients"][pats.index("LUNG05")]["clones"]}
l861 = c["EGFR_L861Q_c.2582T>A"]
assert l861["role"] == "sensitising" and l861["therapy_context"] == "EGFR-TKI (NSCLC): sensitising"
assert l861["status"] in ("transient", "unconfirmed"), l861["status"]
assert c["EGFR_T790M_c.2369C>T"]["role"] == "resistance" and c["EGFR_T790M_c.2369C>T"]["status"] == "emerging"
assert c["KRAS_G12D_c.35G>A"]["role"] == "resistance"
n = 0
for x in c["EGFR_T790M_c.2369C>T"]["draws"]:
    want = x["vaf"] * float(cf[x["sample"]]) * 303
    assert abs(x["copies_per_ml"] - want) <= 1e-5 * want, (x, want)  # written to 6 significant figures
    n += 1
assert n == 11
sm = {x["sample"]: x for x in d["patients"][pats.index("LUNG05")]["samples"]}
assert sm["LUNG05_d280"]["specimen_id"] == "TUBE-LUNG05_d280" and sm["LUNG05_d280"]["assay"] == "panel <v2>"
assert all(x["specimen_id"] is None and x["assay"] is None for x in d["patients"][pats.index("CRC01")]["samples"])
PY
check "track: series copies_per_ml = VAF x cfDNA x 303" -- "$VW" track --sheet "$T/words_sheet.tsv" -e "$E" --output-prefix "$T/tw" "$T/words_calls.tsv"
check "series copies_per_ml against the sheet's cfDNA (closed formula)" -- python3 - "$T/tw.vafwatch.series.tsv" "$T/words_sheet.tsv" <<'PY'
import csv, sys
cf = {r["sample"]: r["cfdna_ng_per_ml"] for r in csv.DictReader(open(sys.argv[2]), delimiter="\t")}
rows = list(csv.DictReader((l.lstrip("#") for l in open(sys.argv[1])), delimiter="\t"))
n = 0
for r in rows:
    if r["vaf"] == "NA" or cf.get(r["sample"], "NA") == "NA":
        assert r["copies_per_ml"] == "NA", r
        continue
    want = float(r["vaf"]) * float(cf[r["sample"]]) * 303
    assert abs(float(r["copies_per_ml"]) - want) <= 5e-4 * want, (r, want)  # written to 4 significant figures
    n += 1
l = [r for r in rows if r["sample"] == "LUNG05_d280" and r["protein"] == "p.L861Q"][0]
assert l["copies_per_ml"] == "1254", l  # 0.23 x 18 x 303 = 1254.42
assert n > 500, n
PY
if [ ! -e "$T/rw/patients/PON1.html" ] && ! grep -q "PON1" "$T/rw/index.html" "$T/rw/vafwatch_mqc.tsv" \
   && grep -q "1 sheet entry without a plasma draw (normals only) is not counted" "$T/rw/index.html"; then
    ok "a normals-only entry is not a patient (no page, no lane, not in the totals)"; else bad "normals-only entry"; fi
check "the saved SVG and CSV decode to the figure and its data" -- python3 - "$L5" "$T/rw/index.html" <<'PY'
import base64, csv, io, re, sys
import xml.etree.ElementTree as ET
h = open(sys.argv[1]).read()
figs = re.findall(r"<figure>\n(<svg.*?</svg>\n)<figcaption>.*?</figcaption>\n<p class=\"dl\">Save: "
                  r"<a download=\"(.*?)\" href=\"data:image/svg\+xml;base64,(.*?)\">.*?"
                  r"<a download=\"(.*?)\" href=\"data:text/csv;charset=utf-8;base64,(.*?)\">", h, re.S)
assert len(figs) == 1, len(figs)
svg, fsvg, b64svg, fcsv, b64csv = figs[0]
assert fsvg == "LUNG05_vaf.svg" and fcsv == "LUNG05_vaf.csv"
saved = base64.b64decode(b64svg).decode()
assert saved == '<?xml version="1.0" encoding="UTF-8"?>\n' + svg
ET.fromstring(saved.split("\n", 1)[1])
rows = list(csv.DictReader(io.StringIO(base64.b64decode(b64csv).decode())))
# three clones (T790M, C797S, L861Q) x 11 draws
assert len(rows) == 33, len(rows)
r = [x for x in rows if x["target"] == "EGFR_L861Q_c.2582T>A" and x["date"] == "2023-10-23"][0]
assert r["state"] == "detected" and r["vaf"] == "0.23" and r["alt"] == "1380" and r["role"] == "sensitising"
c = open(sys.argv[2]).read()
assert 'download="cohort_swimmer.svg"' in c and 'download="cohort_kaplan_meier.csv"' in c
PY
check "swimmer ticks at whole multiples of the step, from 0" -- python3 - "$T/rw/index.html" <<'PY'
import re, sys
h = open(sys.argv[1]).read()
svg = re.search(r'<svg[^>]*aria-label="swimmer plot">.*?</svg>', h, re.S).group(0)
labs = [int(x) for x in re.findall(r'<text [^>]*font-size="11">(-?[0-9]+)</text>', svg)]
assert labs[0] <= 0 and 0 in labs and all(b - a == labs[1] - labs[0] for a, b in zip(labs, labs[1:])), labs
assert all(x % (labs[1] - labs[0]) == 0 for x in labs), labs
# a small tick at every whole month from the first label to the last: x of month m is that of label m
xs = [float(x) for x in re.findall(r'<line class="month" x1="([0-9.]+)"', svg)]
assert len(xs) == labs[-1] - labs[0] + 1, (len(xs), labs)
lab_x = {int(t): float(x) for x, t in re.findall(r'<text x="([0-9.]+)" y="[0-9.]+" text-anchor="middle" font-size="11">(-?[0-9]+)</text>', svg)}
assert all(abs(xs[t - labs[0]] - lab_x[t]) < 0.05 for t in labs), (xs, lab_x)
PY
expect 2 "SOURCE_DATE_EPOCH" -- env SOURCE_DATE_EPOCH=yesterday "$VW" report --sheet "$S" -e "$E" -d "$T/rd" "$T/calls.tsv"
expect 2 "SOURCE_DATE_EPOCH" -- env SOURCE_DATE_EPOCH=-1 "$VW" run -e "$E" -d "$T/rd_run" "$S"
if [ -e "$T/rd_run" ]; then bad "run wrote into -d with a bad SOURCE_DATE_EPOCH"; else ok "run: nothing written with a bad SOURCE_DATE_EPOCH"; fi
expect 2 "--report-date" -- "$VW" report --report-date 2024-13-01 --sheet "$S" -e "$E" -d "$T/rd" "$T/calls.tsv"
check "--report-date" -- "$VW" report --report-date 2024-02-29 --sheet "$S" -e "$E" -d "$T/rd" "$T/calls.tsv"
if grep -q '"report_date": "2024-02-29"' "$T/rd/vafwatch.report.json" && grep -q "Report date: <b>2024-02-29</b>" "$T/rd/index.html"; then
    ok "--report-date fixes the date"; else bad "--report-date"; fi
check "--no-report-date" -- "$VW" report --no-report-date --sheet "$S" -e "$E" -d "$T/rn" "$T/calls.tsv"
if grep -q '"report_date": null' "$T/rn/vafwatch.report.json" && ! grep -q "Report date" "$T/rn/index.html"; then
    ok "--no-report-date prints none"; else bad "--no-report-date"; fi
today=$(date -u +%F)
if grep -q "\"report_date\": \"$today\"" "$T/r1/vafwatch.report.json" || grep -q "\"report_date\": \"$(date -u +%F)\"" "$T/r1/vafwatch.report.json"; then
    ok "the report date is today by default"; else bad "default report date"; fi
check "JSON with the new fields validates" -- python3 "$HERE/json_validate.py" "$SCHEMA" "$T/rw/vafwatch.report.json" "$T"/rw/patients/*.json

# --- clinical markers -----------------------------------------------------------------------
printf 'patient\tdate\tmarker\tvalue\tunit\nLUNG05\t2023-01-16\tCEA\t4.1\tng/mL\nLUNG05\t2023-07-03\tCEA\t9.8\tng/mL\n' >"$T/markers.tsv"
printf 'LUNG05\t2023-10-23\tCEA\t31\tng/mL\nLUNG05\t2023-02-13\theregulin\t820\tpg/mL\nLUNG05\t2022-01-01\theregulin\t700\tpg/mL\n' >>"$T/markers.tsv"
check "report --markers" -- "$VW" report --markers "$T/markers.tsv" --sheet "$S" -e "$E" -d "$T/rm" "$T/calls.tsv"
check "markers: panel on the VAF plot's dates, table, JSON" -- python3 - "$T/rm/patients/LUNG05.html" "$T/rm/vafwatch.report.json" "$T/rm/patients/CRC01.html" <<'PY'
import json, re, sys
h = open(sys.argv[1]).read()
svg = re.search(r'<svg class="markers".*?</svg>', h, re.S).group(0)
assert svg.count('<g class="marker">') == 2 and "CEA (ng/mL)" in svg and "heregulin (pg/mL)" in svg
# the same date axis as the VAF plot: x of a date is the x of a draw on that date
# (LUNG05_d000 2023-01-16 and the CEA value of that day; 2023-07-03 likewise)
vaf = re.search(r'<svg xmlns[^>]*aria-label="VAF of each clone over time">.*?</svg>', h, re.S).group(0)
xs_vaf = set(re.findall(r'<circle class="(?:det|nd)" cx="([0-9.]+)"', vaf))
xs_m = re.findall(r'<circle cx="([0-9.]+)" cy="[0-9.]+" r="3.5"><title>CEA (\S+)', svg)
assert [d for x, d in xs_m] == ["2023-01-16:", "2023-07-03:", "2023-10-23:"], xs_m
assert all(x in xs_vaf for x, d in xs_m), (xs_m, sorted(xs_vaf))
# the 2022 heregulin value is outside the plotted dates: in the table only
assert "heregulin 2022-01-01" not in svg and "<td>heregulin</td><td>2022-01-01</td><td class=\"n\">700</td><td>pg/mL</td>" in h
assert "Clinical markers" in h and 'download="LUNG05_markers.csv"' in h
assert "<svg class=\"markers\"" not in open(sys.argv[3]).read()
d = json.load(open(sys.argv[2]))
assert d["markers_source"].endswith("markers.tsv")
p = {x["patient"]: x for x in d["patients"]}
assert p["LUNG05"]["markers"][0] == {"marker": "CEA", "unit": "ng/mL", "date": "2023-01-16", "value": 4.1}, p["LUNG05"]["markers"][0]
assert len(p["LUNG05"]["markers"]) == 5 and p["CRC01"]["markers"] == []
PY
check "markers JSON validates" -- python3 "$HERE/json_validate.py" "$SCHEMA" "$T/rm/vafwatch.report.json" "$T"/rm/patients/*.json
printf 'patient\tdate\tmarker\tvalue\tunit\nLUNG05\t2023-01-16\tCEA\t4.1\tng/mL\nNOPE\t2023-01-16\tCEA\t4.1\tng/mL\n' >"$T/m_unknown.tsv"
printf 'patient\tdate\tmarker\tvalue\tunit\nLUNG05\t2023-01-16\tCEA\t4.1\tng/mL\nLUNG05\t2023-02-16\tCEA\t41\tug/L\n' >"$T/m_unit.tsv"
printf 'patient\tdate\tmarker\tvalue\tunit\nLUNG05\t16/01/2023\tCEA\t4.1\tng/mL\n' >"$T/m_date.tsv"
expect 1 "m_unknown.tsv:3: column 'patient': unknown patient 'NOPE'" -- "$VW" report --markers "$T/m_unknown.tsv" --sheet "$S" -e "$E" -d "$T/rme" "$T/calls.tsv"
expect 1 "m_unit.tsv:3: column 'unit': unit 'ug/L' of marker 'CEA' differs from 'ng/mL' at line 2" -- "$VW" report --markers "$T/m_unit.tsv" --sheet "$S" -e "$E" -d "$T/rme" "$T/calls.tsv"
expect 1 "m_date.tsv:2: column 'date': invalid date '16/01/2023'" -- "$VW" report --markers "$T/m_date.tsv" --sheet "$S" -e "$E" -d "$T/rme" "$T/calls.tsv"
if [ -e "$T/rme" ]; then bad "output written after a markers error"; else ok "nothing written after a markers error"; fi

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
