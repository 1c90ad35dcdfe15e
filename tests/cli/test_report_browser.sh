#!/usr/bin/env bash
# Renders vafwatch report pages in a real headless browser (Chromium) and checks
# that the screenshots are not blank and that the pages made no network request and
# logged no console error.  Skips (77) when chromium is absent.
# Usage: test_report_browser.sh VAFWATCH COHORT_DIR
set -u
. "$(dirname "$0")/lib.sh"
VW=$1
COH=$2
HERE=$(cd "$(dirname "$0")" && pwd)
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then echo "SKIP: chromium not installed (scripts/install-deps.sh installs it)"; exit 77; fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

python3 "$COH/make_cohort.py" --outdir "$T" --calls "$T/calls.tsv" >/dev/null || bad "make_cohort.py"
# clinical markers for LUNG05: a panel under its VAF plot
printf 'patient\tdate\tmarker\tvalue\tunit\nLUNG05\t2023-01-16\tCEA\t4.1\tng/mL\nLUNG05\t2023-07-03\tCEA\t9.8\tng/mL\n' >"$T/markers.tsv"
printf 'LUNG05\t2023-10-23\tCEA\t31\tng/mL\nLUNG05\t2023-02-13\theregulin\t820\tpg/mL\n' >>"$T/markers.tsv"
"$VW" report --markers "$T/markers.tsv" --sheet "$T/cohort.tsv" -e "$T/events.tsv" -d "$T/r" "$T/calls.tsv" || bad "vafwatch report"

shoot() { # PAGE PNG LOG
    timeout 40 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-default-apps --disable-extensions --no-default-browser-check \
        --user-data-dir="$T/profile.$(basename "$2")" --enable-logging=stderr --v=0 \
        --screenshot="$2" --window-size=1200,1600 "file://$1" >"$3" 2>&1
}
for page in index.html patients/CRC04.html patients/LUNG05.html; do
    png="$T/$(basename "$page" .html).png"
    log="$T/$(basename "$page" .html).log"
    if ! shoot "$T/r/$page" "$png" "$log" || [ ! -s "$png" ]; then bad "$page: no screenshot"; sed 's/^/    /' "$log" | tail -5; continue; fi
    if stats=$(python3 "$HERE/png_stats.py" "$png" 0.02); then ok "$page renders (w h non-white sd: $stats)"; else bad "$page looks blank ($stats)"; fi
    # console messages and blocked loads are logged as CONSOLE(...) lines; a load the CSP
    # blocked says "Content Security Policy"; any http(s) URL would be a network request
    if grep -Ei 'CONSOLE|Content Security Policy|Refused to' "$log" >"$T/console"; then
        bad "$page: console messages"; sed 's/^/    /' "$T/console" | head -5
    else
        ok "$page: no console error"
    fi
    if grep -Eo 'https?://[^ "]*' "$log" | grep -v 'www.w3.org/2000/svg' >"$T/urls"; then
        bad "$page: network URLs in the log"; sed 's/^/    /' "$T/urls" | head -5
    else
        ok "$page: no network request"
    fi
    # the DOM the browser built still has the SVG and no script
    timeout 40 "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
        --user-data-dir="$T/profile.dom" --dump-dom "file://$T/r/$page" >"$T/dom.html" 2>/dev/null
    if grep -q '<svg' "$T/dom.html" && ! grep -qi '<script' "$T/dom.html"; then ok "$page: DOM has the SVG, no script"; else bad "$page: DOM"; fi
done
# the words a reader sees first, as the browser rendered them (LUNG05: T790M and C797S met the rule)
timeout 40 "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --user-data-dir="$T/profile.words" --dump-dom "file://$T/r/patients/LUNG05.html" >"$T/l5.html" 2>/dev/null
if python3 - "$T/l5.html" <<'PY'
import re, sys
h = open(sys.argv[1]).read()
t = re.sub(r"<[^>]+>", "", re.search(r'<p class="headline">(.*?)</p>', h, re.S).group(1))
assert t.startswith("At the last draw (2023-10-23, LUNG05_d280): detected EGFR p.T790M at 30 % (resistance mutation), confirmed"), t
assert "For research use only." in h and re.search(r"Report date: <b>\d{4}-\d\d-\d\d</b>", h)
assert re.search(r'<details class="nd-targets">\s*<summary>5 other targets not detected', h)  # folded (no "open")
assert h.count('class="emergence"') == 2 and h.count('download="LUNG05_vaf.') == 2
# the markers panel as the browser built it: two panels, labelled, with their points
m = re.search(r'<svg class="markers".*?</svg>', h, re.S).group(0)
assert m.count('class="marker"') == 2 and "CEA (ng/mL)" in m and "heregulin (pg/mL)" in m and m.count('r="3.5"') == 4
assert "<h2>Clinical markers</h2>" in h
PY
then ok "LUNG05: headline, report date, research use, folded table, two emergence markers, markers panel"; else bad "LUNG05 words"; fi
echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
