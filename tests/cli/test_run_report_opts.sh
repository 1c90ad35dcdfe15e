#!/usr/bin/env bash
# The report options of vafwatch run are report's (docs/reports.md):
#  - run --title/--markers/--param writes the same report pages as report with
#    those options on run's calls: index.html and the patient page equal but
#    for the command line and run's own parameters under Methods, the MultiQC
#    files equal, the JSON's markers and parameters equal (run's own first);
#  - without them the title is the default and there is no markers panel;
#  - a malformed --param is a usage error (exit 2) in one line naming the
#    option, a bad markers file a data error (exit 1) naming file and line,
#    both before anything is written; a markers file where run writes is
#    refused (exit 2).
# Usage: test_run_report_opts.sh VAFWATCH VWFIX
set -u
. "$(dirname "$0")/lib.sh"
unset SOURCE_DATE_EPOCH
run_fixture "$1" "$2"
printf 'patient\tdate\tmarker\tvalue\tunit\nP1\t2023-01-05\tCEA\t4.1\tng/mL\nP1\t2023-03-01\tCEA\t9.8\tng/mL\n' >m.tsv
RUN=("$VW" run --quiet --no-builtin -T t.tsv -e events.tsv --report-date 2024-02-29)
# a title that needs escaping, a value with '=' in it, the options in this order
OPTS=(--title 'Trial A & B <1>' --markers m.tsv --param 'lab=Site A' --param 'kit=v2=b')

check_run "run with --title, --markers and --param" "${RUN[@]}" "${OPTS[@]}" -d R sheet.tsv
check_run "report with the same options on run's calls" "$VW" report --quiet --sheet sheet.tsv -e events.tsv \
    --report-date 2024-02-29 "${OPTS[@]}" -d rep R/vafwatch.calls.tsv
check_run "run without them" "${RUN[@]}" -d plain sheet.tsv
for f in vafwatch_mqc.tsv vafwatch_stats_mqc.tsv vafwatch_vaf_mqc.json; do
    check_eval "$f: run's and report's equal" "cmp -s R/report/$f rep/$f"
done
check_eval "pages, markers and parameters: run's as report's" 'python3 - R/report rep plain/report <<'"'"'PY'"'"'
import json, re, sys
run, rep, plain = sys.argv[1:4]
# run'"'"'s own parameters under Methods (pipeline.c stage_report), before --param'"'"'s
own = ["count unit", "minimum mapping quality", "minimum base quality", "call alpha",
       "multiple-testing adjustment", "background model", "background floor"]
def page(path, drop_own):
    """the lines of a page but the command line and, with drop_own, the
    rows of run'"'"'s own parameters (seven in a row, in that order)"""
    keep = [x for x in open(path) if "<th>command line</th>" not in x]
    if drop_own:
        th = [re.match(r"<tr><th>([^<]*)</th>", x) for x in keep]
        th = [m.group(1) if m else None for m in th]
        i = next(i for i in range(len(th)) if th[i:i + 7] == own)
        del keep[i:i + 7]
    return keep
for p in ["index.html", "patients/P1.html"]:
    a, b = page(f"{run}/{p}", True), page(f"{rep}/{p}", False)
    assert a == b, (p, [x for x in a if x not in b][:3], [x for x in b if x not in a][:3])
    assert len(page(f"{run}/{p}", False)) == len(a) + 7, p  # run'"'"'s own rows were there
idx = open(f"{run}/index.html").read()
for tag in ["title", "h1"]:  # the title, HTML-escaped; the default without --title
    assert f"<{tag}>Trial A &amp; B &lt;1&gt;</{tag}>" in idx, tag
    assert f"<{tag}>vafwatch cohort report</{tag}>" in open(f"{plain}/index.html").read(), tag
for p in ["vafwatch.report.json", "patients/P1.json"]:
    a, b = json.load(open(f"{run}/{p}")), json.load(open(f"{rep}/{p}"))
    assert a["markers_source"] == b["markers_source"] == "m.tsv", p
    assert json.load(open(f"{plain}/{p}"))["markers_source"] is None, p
    pa = [(k, v) for k, v in a["parameters"].items() if k not in own]
    assert pa == list(b["parameters"].items()), (pa, b["parameters"])
    assert pa[-2:] == [("lab", "Site A"), ("kit", "v2=b")], pa
    assert [k for k in a["parameters"] if k in own] == own, a["parameters"]
ma = json.load(open(f"{run}/patients/P1.json"))["patient"]["markers"]
assert ma == json.load(open(f"{rep}/patients/P1.json"))["patient"]["markers"], ma
# two CEA values, as in m.tsv
assert [(m["marker"], m["date"], m["value"]) for m in ma] == [("CEA", "2023-01-05", 4.1), ("CEA", "2023-03-01", 9.8)], ma
assert '"'"'<svg class="markers"'"'"' in open(f"{run}/patients/P1.html").read()
assert '"'"'<svg class="markers"'"'"' not in open(f"{plain}/patients/P1.html").read()
PY'

# malformed --param: exit 2, one line naming the option, nothing written
many=()
for i in $(seq 1 33); do many+=(--param "k$i=v"); done
for bad in noequals "=v" ""; do
    "${RUN[@]}" --param "$bad" -d bad sheet.tsv 2>err.txt
    rc=$?
    if [ "$rc" -eq 2 ] && [ "$(wc -l <err.txt)" -eq 1 ] \
        && grep -qF "vafwatch run: --param takes KEY=VALUE (at most 32), not '$bad'" err.txt && [ ! -e bad ]; then
        ok "--param '$bad': exit 2, one line naming the option, nothing written"
    else
        ko "--param '$bad': exit $rc, $(wc -l <err.txt) lines: $(head -3 err.txt)"
    fi
done
"${RUN[@]}" "${many[@]}" -d bad sheet.tsv 2>err.txt
rc=$?
if [ "$rc" -eq 2 ] && grep -qF "at most 32), not 'k33=v'" err.txt && [ ! -e bad ]; then
    ok "a 33rd --param: exit 2, nothing written"; else ko "33 --param: exit $rc: $(head -3 err.txt)"; fi
# a bad markers file: exit 1 naming file, line and column, before the output directory is made
printf 'patient\tdate\tmarker\tvalue\nNOPE\t2023-01-05\tCEA\t4\n' >m_bad.tsv
expect 1 "m_bad\.tsv:2: column 'patient': unknown patient 'NOPE'" -- "${RUN[@]}" --markers m_bad.tsv -d bad sheet.tsv
check_eval "nothing written after a markers error" '[ ! -e bad ]'
expect 1 "none\.tsv" -- "${RUN[@]}" --markers none.tsv -d bad sheet.tsv
check_eval "nothing written for a missing markers file" '[ ! -e bad ]'
# the markers file is an input: one where run writes is refused, and stays as it was
cp m.tsv R/vafwatch.markers.tsv
expect 2 "R/vafwatch.markers.tsv: the output would overwrite an input file" -- \
    "${RUN[@]}" --markers R/vafwatch.markers.tsv -d R sheet.tsv
check_eval "the markers file in the output directory is unchanged" 'cmp -s m.tsv R/vafwatch.markers.tsv'
for o in "--title STR" "--markers FILE" "--param KEY=VALUE"; do
    if "$VW" run --help | grep -qF -- "$o"; then ok "run --help lists $o"; else ko "run --help lacks $o"; fi
done
finish
