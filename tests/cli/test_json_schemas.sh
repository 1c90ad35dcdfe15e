#!/usr/bin/env bash
# Every JSON output (count, call, leadtime, report) carries "format" and "format_version" and
# validates against its schema in docs/schema, with the project's small validator
# (tests/cli/json_validate.py) and with python3-jsonschema (Draft 2020-12); a copy with a
# wrong type or a missing field is rejected by both.  Skips (77) only without python3-jsonschema.
# Usage: test_json_schemas.sh VAFWATCH COHORT_DIR SCHEMA_DIR
set -u
. "$(dirname "$0")/lib.sh"
VW=$1
COH=$2
SD=$3
HERE=$(cd "$(dirname "$0")" && pwd)
python3 -c 'import jsonschema' 2>/dev/null || { echo "SKIP: python3-jsonschema not installed"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
check() { local what=$1; shift; if "$@" >"$T/out" 2>&1; then ok "$what"; else bad "$what"; sed 's/^/    /' "$T/out" | head -8; fi; }

# count: three read pairs over a user target (one with the ALT), one target without reads
python3 - "$T" <<'PY'
import sys
T = sys.argv[1]
seq = "ACGT" * 100
hdr = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:c1\tLN:400\n"
site = 60  # 0-based; fragment r0 carries the ALT on both of its reads that cover the site
alt = "T" if seq[site] != "T" else "G"
def read(b, mut):
    s = list(seq[b:b + 50])
    if mut and b <= site < b + 50:
        s[site - b] = alt
    return "".join(s)
recs = []
for i, b in enumerate([20, 30, 40]):
    recs.append("r%d\t99\tc1\t%d\t60\t50M\t=\t%d\t90\t%s\t%s" % (i, b + 1, b + 41, read(b, i == 0), "I" * 50))
    recs.append("r%d\t147\tc1\t%d\t60\t50M\t=\t%d\t-90\t%s\t%s" % (i, b + 41, b + 1, read(b + 40, i == 0), "I" * 50))
recs.sort(key=lambda r: int(r.split("\t")[3]))
open(T + "/s.sam", "w").write(hdr + "\n".join(recs) + "\n")
open(T + "/t.tsv", "w").write("chrom\tpos\tref\talt\tid\nc1\t61\t%s\t%s\tt1\nc1\t300\t%s\tA\tt2\n" % (seq[site], alt, seq[299]))
PY
check "count --json" "$VW" count --no-builtin -T "$T/t.tsv" --stream --json "$T/counts.json" -o "$T/counts.tsv" "$T/s.sam"
check "call --json" "$VW" call --build GRCh38 --bg-floor 1e-3 --json "$T/c.vafwatch.calls.json" --output-prefix "$T/c" "$T/counts.tsv"
python3 "$COH/make_cohort.py" --outdir "$T" --calls "$T/calls.tsv" >/dev/null
check "leadtime --json" "$VW" leadtime --json "$T/l.vafwatch.leadtime.json" --sheet "$T/cohort.tsv" -e "$T/events.tsv" --output-prefix "$T/l" "$T/calls.tsv"
check "report" "$VW" report --sheet "$T/cohort.tsv" -e "$T/events.tsv" -d "$T/r" "$T/calls.tsv"
J=("counts:$T/counts.json" "calls:$T/c.vafwatch.calls.json" "leadtime:$T/l.vafwatch.leadtime.json"
   "report:$T/r/vafwatch.report.json" "report:$T/r/patients/LUNG05.json")
for j in "${J[@]}"; do
    kind=${j%%:*}
    f=${j#*:}
    check "$kind: format, format_version" python3 -c "
import json, sys
d = json.load(open('$f'))
assert d['format'] == 'vafwatch-$kind' and isinstance(d['format_version'], int), (d.get('format'), d.get('format_version'))"
    check "$kind $(basename "$f"): json_validate.py" python3 "$HERE/json_validate.py" "$SD/vafwatch-$kind.schema.json" "$f"
    check "$kind $(basename "$f"): jsonschema (Draft 2020-12)" python3 -c "
import json, jsonschema
s = json.load(open('$SD/vafwatch-$kind.schema.json'))
jsonschema.Draft202012Validator.check_schema(s)
jsonschema.Draft202012Validator(s).validate(json.load(open('$f')))"
done
# the content the schemas promise (hand count: t1 has 3 fragments, 1 with the ALT; t2 none)
check "counts: t1 3 fragments, 1 alt; t2 no fragment" python3 -c "
import json
t = {x['id']: x for x in json.load(open('$T/counts.json'))['samples'][0]['targets']}
assert t['t1']['assessed'] and t['t1']['depth'] == 3 and t['t1']['alt_count'] == 1, t['t1']
assert t['t2']['assessed'] is False or t['t2']['depth'] == 0, t['t2']"
# broken copies are rejected by both validators
python3 - "$T" <<'PY'
import json, sys
T = sys.argv[1]
d = json.load(open(T + "/c.vafwatch.calls.json")); d["calls"][0]["vaf"] = "0.3"; json.dump(d, open(T + "/bad_calls.json", "w"))
d = json.load(open(T + "/l.vafwatch.leadtime.json")); del d["patients"][0]["status"]; json.dump(d, open(T + "/bad_lead.json", "w"))
d = json.load(open(T + "/counts.json")); d["format_version"] = 2; json.dump(d, open(T + "/bad_counts.json", "w"))
PY
for b in "calls:bad_calls" "leadtime:bad_lead" "counts:bad_counts"; do
    kind=${b%%:*}
    f="$T/${b#*:}.json"
    if python3 "$HERE/json_validate.py" "$SD/vafwatch-$kind.schema.json" "$f" >/dev/null 2>&1; then bad "json_validate.py accepted $f"; else ok "json_validate.py rejects ${b#*:}"; fi
    if python3 -c "
import json, jsonschema
jsonschema.Draft202012Validator(json.load(open('$SD/vafwatch-$kind.schema.json'))).validate(json.load(open('$f')))" >/dev/null 2>&1; then
        bad "jsonschema accepted $f"; else ok "jsonschema rejects ${b#*:}"; fi
done
echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
