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
VW=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
COH=$2
SCHEMA=$3
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
check() { # DESCRIPTION -- command...
    local d=$1
    shift 2
    if "$@" >"$T/out" 2>"$T/err"; then ok "$d"; else bad "$d"; sed 's/^/    /' "$T/err" | head -10; fi
}
expect() { # EXIT STDERR_REGEX -- command...
    local want=$1 re=$2
    shift 3
    "$@" >"$T/out" 2>"$T/err"
    local got=$?
    if [ "$got" -ne "$want" ]; then bad "(exit $got, want $want): $*"; sed 's/^/    /' "$T/err" | head -5; return; fi
    if [ -n "$re" ] && ! grep -Eq -- "$re" "$T/err"; then bad "(stderr lacks /$re/): $*"; sed 's/^/    /' "$T/err"; return; fi
    ok "$*"
}

if "$VW" report --help | grep -q "^Usage: vafwatch report"; then ok "report --help"; else bad "report --help"; fi
if "$VW" help report | grep -q "^Usage: vafwatch report"; then ok "help report"; else bad "help report"; fi
expect 2 "" -- "$VW" report --no-such-option
expect 2 "needs --sheet" -- "$VW" report -s a -e b x.tsv
expect 2 "--param takes" -- "$VW" report --param novalue -s a -e b -O c d

python3 "$COH/make_cohort.py" --outdir "$T" --calls "$T/calls.tsv" || bad "make_cohort.py"
S="$T/cohort.tsv"
E="$T/events.tsv"

expect 1 "" -- "$VW" report -s "$S" -e "$E" -O "$T/calls.tsv" "$T/calls.tsv"
expect 1 "nonexistent.tsv" -- "$VW" report -s "$S" -e "$E" --cnv "$T/nonexistent.tsv" -O "$T/x" "$T/calls.tsv"
if [ -e "$T/x/index.html" ]; then bad "outputs written after an error"; else ok "nothing written on error"; fi

# a small CNV table for two CRC01 draws
printf '#sample\tgene\tchrom\tstart\tend\tn_regions\tdepth\tlog2r\tz\tpcn\ttf\tcn_tumour\tamplified\tpcn_change\tflags\n' >"$T/cnv.tsv"
printf 'CRC01_d000\tERBB2\t17\t37844167\t37886679\t4\t5000\t0.01\t0.2\t2.01\tNA\tNA\tno\tNA\tno_tf\n' >>"$T/cnv.tsv"
printf 'CRC01_d336\tERBB2\t17\t37844167\t37886679\t4\t9000\t0.62\t9.1\t3.07\tNA\tNA\tyes\t1.06\tno_tf\n' >>"$T/cnv.tsv"

check "report on the example cohort" -- "$VW" report -s "$S" -e "$E" --cnv "$T/cnv.tsv" --build GRCh37 \
    --param "call alpha=0.05" -O "$T/r1" "$T/calls.tsv"
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
    (cd "$T/$d" && "$VW" report -s "$S" -e "$E" --cnv "$T/cnv.tsv" -O out "$T/calls.tsv") || bad "run in $d"
done
if diff -r "$T/d1/out" "$T/d2/out" >/dev/null; then ok "deterministic: two runs byte-identical"; else bad "two runs differ"; fi
check "--timestamp run" -- "$VW" report -s "$S" -e "$E" --timestamp -O "$T/r3" "$T/calls.tsv"
if grep -Eq '"generated": "[0-9]{4}-[0-9]{2}-[0-9]{2}T' "$T/r3/vafwatch.report.json"; then ok "--timestamp writes the time"; else bad "--timestamp"; fi

# hostile names: CRC01 becomes <script>alert(1)</script>, CRC02 a name that sanitises to the same file
X='<script>alert(1)</script>'
awk -F'\t' -v OFS='\t' -v x="$X" '$1=="CRC01"{$1=x} $1=="CRC02"{$1="_script_alert_1___script_"} {print}' "$S" >"$T/xss.tsv"
awk -F'\t' -v OFS='\t' -v x="$X" '$1=="CRC01"{$1=x} $1=="CRC02"{$1="_script_alert_1___script_"}
     $3=="treatment_start" && $1==x {$4="<b>cetux</b> & \"co\" '"'"'x'"'"'"} {print}' "$E" >"$T/xss_events.tsv"
check "report with hostile names" -- "$VW" report -s "$T/xss.tsv" -e "$T/xss_events.tsv" -O "$T/rx" "$T/calls.tsv"
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

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
