#!/usr/bin/env bash
# vafwatch run on the bundled example cohort (simulated BAMs), end to end:
# every emergence date, last negative draw, status and lead time of
# testdata/cohort/truth.tsv is recovered exactly; no other clone emerges;
# a re-run counts nothing again and gives byte-identical tables; adding
# draws counts only the new ones.
# Usage: test_run_example.sh SOURCE_DIR BUILD_DIR WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
SRC=$1 B=$2 W=$3
mkdir -p "$W"
if ! "$SRC/scripts/run-example.sh" "$B" "$W" >"$W/log.txt" 2>&1; then
    cat "$W/log.txt"; ko "run-example.sh failed"; echo "$pass passed, $fail failed"; exit 1
fi
R=$W/run
T=$SRC/testdata/cohort/truth.tsv
# per clone: status, first detection, last negative
awk -F'\t' -v OFS='\t' '
    FNR == NR { if (FNR > 1 && $2 != "NA") want[$1 FS $2] = $5 " " $6 " " $7; next }
    FNR > 1 { got[$1 FS $2] = $9 " " $11 " " $12; if ($9 == "emerging" || $9 == "pre-existing" || $9 == "germline?") seen[$1 FS $2] = 1 }
    END {
        for (k in want) { if (got[k] != want[k]) { print "  " k ": got [" got[k] "] want [" want[k] "]"; bad++ } n++ }
        for (k in seen) if (!(k in want)) { print "  unexpected clone " k ": " got[k]; bad++ }
        printf "%d clones checked\n", n
        exit bad > 0 }' "$T" "$R/vafwatch.track.tsv" >"$W/clones.txt"
if [ $? -eq 0 ]; then ok "every clone of truth.tsv: status and dates exact ($(tail -1 "$W/clones.txt"))"; else cat "$W/clones.txt"; ko "clone statuses or dates"; fi
# per patient: progression, lead time, status
awk -F'\t' '
    FNR == NR { if (FNR > 1) want[$1] = $8 " " $9 " " $10; next }
    FNR > 1 { got[$1] = $3 " " $4 " " $5 }
    END { for (p in want) { n++; if (got[p] != want[p]) { print "  " p ": got [" got[p] "] want [" want[p] "]"; bad++ } }
          printf "%d patients\n", n; exit bad > 0 }' "$T" "$R/vafwatch.leadtime.tsv" >"$W/lead.txt"
if [ $? -eq 0 ]; then ok "every lead time and status exact ($(tail -1 "$W/lead.txt"))"; else cat "$W/lead.txt"; ko "lead times"; fi
# the reports: a cohort page linking every patient's page
n_links=$(grep -o 'href="patients/[^"]*\.html"' "$R/report/index.html" 2>/dev/null | sort -u | wc -l)
if [ "$n_links" -eq 7 ] && [ "$(ls "$R"/report/patients/*.html | wc -l)" -eq 7 ] && [ -s "$R/report/vafwatch_mqc.tsv" ]; then
    ok "reports: index.html links the 7 patient pages; MultiQC table written"
else
    ko "reports missing ($n_links links)"
fi
# a re-run: everything from the cache, the same bytes
mkdir -p "$W/first"
cp "$R"/vafwatch.*.tsv "$W/first/"
grep -v '"command"' "$R/vafwatch.leadtime.json" >"$W/first/leadtime.json.nocmd"
"$B/src/vafwatch" run --verbosity 3 -t 2 -e "$W/cohort/events.tsv" -d "$R" "$W/cohort/cohort.tsv" 2>"$W/rerun.err"
if grep -q "0 counted, 87 from the cache" "$W/rerun.err"; then ok "a re-run counts nothing again"; else cat "$W/rerun.err"; ko "re-run did not use the cache"; fi
same=1
for f in "$W"/first/*.tsv; do cmp -s "$f" "$R/$(basename "$f")" || { same=0; echo "  differs: $(basename "$f")"; }; done
grep -v '"command"' "$R/vafwatch.leadtime.json" | cmp -s - "$W/first/leadtime.json.nocmd" || { same=0; echo "  differs: leadtime.json"; }
[ $same = 1 ] && ok "re-run tables are byte-identical" || ko "re-run tables differ"
# adding draws: a sheet without CRC07's last two draws, then the full sheet
N=$W/grow
rm -rf "$N"
mkdir -p "$N"
head -n -2 "$W/cohort/cohort.tsv" | sed "s#\tsim/#\t$W/cohort/sim/#" >"$N/partial.tsv"
sed "s#\tsim/#\t$W/cohort/sim/#" "$W/cohort/cohort.tsv" >"$N/full.tsv"
if [ "$(tail -1 "$W/cohort/cohort.tsv" | cut -f1)" = CRC07 ]; then
    "$B/src/vafwatch" run --quiet -t 2 -e "$W/cohort/events.tsv" -d "$N/out" "$N/partial.tsv"
    "$B/src/vafwatch" run --verbosity 3 -t 2 -e "$W/cohort/events.tsv" -d "$N/out" "$N/full.tsv" 2>"$N/err"
    if grep -q "2 counted, 85 from the cache" "$N/err" && cmp -s "$N/out/vafwatch.leadtime.tsv" "$R/vafwatch.leadtime.tsv"; then
        ok "adding two draws counts only those two, same lead times"
    else
        grep "cache" "$N/err"; ko "adding draws"
    fi
fi
# a bad sheet: a missing file is a one-line error naming the sheet line, and nothing is written
printf 'patient\tsample\tdate\tfile\nP1\tS1\t2023-01-01\tmissing.bam\n' >"$W/bad.tsv"
if "$B/src/vafwatch" run -e "$W/cohort/events.tsv" -d "$W/bad-out" "$W/bad.tsv" 2>"$W/bad.err"; then
    ko "a sheet naming a missing file was accepted"
elif grep -q "bad.tsv:2" "$W/bad.err" && [ ! -e "$W/bad-out/vafwatch.calls.tsv" ]; then
    ok "a missing file: one-line error naming the sheet line, no output"
else
    cat "$W/bad.err"; ko "missing file error"
fi
finish
