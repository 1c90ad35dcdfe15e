#!/usr/bin/env bash
# The reports' date of vafwatch run, as report's (docs/reports.md):
#  - --report-date DATE is printed on every page and in every JSON of the
#    report set; --no-report-date prints none (JSON null);
#  - without them SOURCE_DATE_EPOCH gives the date, and a bad one is not read
#    when --report-date is given;
#  - a malformed date is a usage error (exit 2) in one line naming the option,
#    before anything is written.
# Usage: test_run_date.sh VAFWATCH VWFIX
set -u
. "$(dirname "$0")/lib.sh"
unset SOURCE_DATE_EPOCH
run_fixture "$1" "$2"
RUN=("$VW" run --quiet --no-builtin -T t.tsv -e events.tsv)

# DIR WANT: every page of DIR/report shows "Report date: <b>WANT</b>" and every
# JSON has "report_date": "WANT" (WANT empty: no date on any page, JSON null)
dates_are() {
    local d=$1/report want=$2 f n=0
    for f in "$d"/index.html "$d"/patients/*.html; do
        n=$((n + 1))
        if [ -n "$want" ]; then grep -q "Report date: <b>$want</b>" "$f" || { echo "    $f"; return 1; }
        else ! grep -q "Report date" "$f" || { echo "    $f"; return 1; }; fi
    done
    for f in "$d"/vafwatch.report.json "$d"/patients/*.json; do
        n=$((n + 1))
        if [ -n "$want" ]; then grep -q "\"report_date\": \"$want\"" "$f" || { echo "    $f"; return 1; }
        else grep -q '"report_date": null' "$f" || { echo "    $f"; return 1; }; fi
    done
    [ "$n" -eq 4 ] || { echo "    $n files, want 4 (index, a patient page, two JSON)"; return 1; }
}

check_run "run --report-date 2024-02-29" "${RUN[@]}" --report-date 2024-02-29 -d given sheet.tsv
check_eval "--report-date: the date on every page and in every JSON" 'dates_are given 2024-02-29'
check_run "run --no-report-date" "${RUN[@]}" --no-report-date -d none sheet.tsv
check_eval "--no-report-date: no date on any page, JSON null" 'dates_are none ""'
check_run "run --report-date X --no-report-date (the last one wins)" \
    "${RUN[@]}" --report-date 2024-02-29 --no-report-date -d last sheet.tsv
check_eval "the last of the two options wins" 'dates_are last ""'
# SOURCE_DATE_EPOCH 1700000000 s = 2023-11-14 (UTC)
check_run "run under SOURCE_DATE_EPOCH" env SOURCE_DATE_EPOCH=1700000000 "${RUN[@]}" -d epoch sheet.tsv
check_eval "SOURCE_DATE_EPOCH gives the date without the options" 'dates_are epoch 2023-11-14'
check_run "--report-date with a bad SOURCE_DATE_EPOCH (not read)" \
    env SOURCE_DATE_EPOCH=yesterday "${RUN[@]}" --report-date 2024-03-01 -d over sheet.tsv
check_eval "--report-date over SOURCE_DATE_EPOCH" 'dates_are over 2024-03-01'
# the same date as report's on the same calls
check_run "report --report-date on run's calls" "$VW" report --quiet --sheet sheet.tsv -e events.tsv \
    --report-date 2024-02-29 -d rep/report given/vafwatch.calls.tsv
check_eval "run and report print the same report date" \
    'diff <(grep -o "\"report_date\": [^,]*" given/report/vafwatch.report.json) <(grep -o "\"report_date\": [^,]*" rep/report/vafwatch.report.json)'

# malformed dates: exit 2, one line naming the option, nothing written
for bad in 2024-13-01 2024-02-30 yesterday ""; do
    "${RUN[@]}" --report-date "$bad" -d bad sheet.tsv 2>err.txt
    rc=$?
    if [ "$rc" -eq 2 ] && [ "$(wc -l <err.txt)" -eq 1 ] && grep -q "^vafwatch run: --report-date: '$bad' is not a date (YYYY-MM-DD)$" err.txt \
        && [ ! -e bad ]; then
        ok "--report-date '$bad': exit 2, one line naming the option, nothing written"
    else
        ko "--report-date '$bad': exit $rc, $(wc -l <err.txt) lines: $(head -3 err.txt)"
    fi
done
if "$VW" run --help | grep -q -- "--report-date DATE" && "$VW" run --help | grep -q -- "--no-report-date"; then
    ok "run --help lists --report-date and --no-report-date"; else ko "run --help"; fi
finish
